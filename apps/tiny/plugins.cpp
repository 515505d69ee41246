#include "plugins.hpp"

#include "core/shared_module.hpp"

#include <string>

namespace tiny::cli {
namespace {

// The commands of libtiny_video_commands.so, as command paths; every other command the binary does
// not have is libtiny_commands.so's.
bool is_video_command(const std::string& path) { return path == "frames" || path == "bench frames"; }

// The option of `app` that `word` ("--name" or "--name=value") names, if it takes a separate value.
bool takes_next_word(CLI::App& app, const std::string& word) {
  if (word.find('=') != std::string::npos) return false;
  const CLI::Option* opt = app.get_option_no_throw(word);
  return opt && opt->get_expected_min() > 0;  // not a flag
}

}  // namespace

NeededPlugins needed_plugins(CLI::App& root, int argc, char** argv) {
  CLI::App* app = &root;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--version" && app == &root) return {};
    if (word.size() > 1 && word[0] == '-') {
      if (takes_next_word(*app, word)) ++i;
      continue;
    }
    path += (path.empty() ? "" : " ") + word;
    auto found = app->get_subcommands([&](CLI::App* a) { return a->get_name() == word; });
    if (found.empty()) {
      const bool video = is_video_command(path);
      return {!video, video};
    }
    app = found.front();
    if (app->get_subcommands([](CLI::App*) { return true; }).empty()) return {};
  }
  return {true, true};
}

const void* load_plugin(const char* file, const char* entry) {
  return load_module_entry(executable_folder() / file, entry, "the plugin");
}

}  // namespace tiny::cli
