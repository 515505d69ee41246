#include "models_plugin.hpp"

#include "core/error.hpp"
#include "core/threads.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <string>

namespace tiny::cli {
namespace {

const ModelsPlugin* g_plugin = nullptr;

constexpr const char* kPluginFile = "libtiny_commands.so";

// The option of `app` that `word` ("--name" or "--name=value") names, if it takes a separate value.
bool takes_next_word(CLI::App& app, const std::string& word) {
  if (word.find('=') != std::string::npos) return false;
  const CLI::Option* opt = app.get_option_no_throw(word);
  return opt && opt->get_type_size() != 0;
}

}  // namespace

bool needs_models_plugin(CLI::App& root, int argc, char** argv) {
  CLI::App* app = &root;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--version" && app == &root) return false;
    if (word.size() > 1 && word[0] == '-') {
      if (takes_next_word(*app, word)) ++i;
      continue;
    }
    auto found = app->get_subcommands([&](CLI::App* a) { return a->get_name() == word; });
    if (found.empty()) return true;
    app = found.front();
    if (app->get_subcommands([](CLI::App*) { return true; }).empty()) return false;
  }
  return true;
}

const ModelsPlugin& models_plugin() {
  if (g_plugin) return *g_plugin;
  const std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe").parent_path() / kPluginFile;
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) throw Error(file_error(path.string(), std::string("cannot load the model commands: ") + dlerror()));
  using Entry = const ModelsPlugin* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "tiny_models_plugin"));
  if (!entry) throw Error(file_error(path.string(), "not a tiny plugin (no tiny_models_plugin)"));
  g_plugin = entry();
  g_plugin->set_threads(thread_count());
  return *g_plugin;
}

bool models_plugin_loaded() { return g_plugin != nullptr; }

}  // namespace tiny::cli
