#include "cli.hpp"

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "core/json_output.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/threads.hpp"
#include "image/image.hpp"
#include "json_config.hpp"
#include "models_plugin.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace tiny::cli {
namespace {

void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.add_option("--threads", g.threads, "Worker threads for every pool (0: all cores)")->check(CLI::NonNegativeNumber);
  app.add_flag("-q,--quiet", g.quiet, "Print only errors on stderr");
  app.add_flag("-v,--verbose", g.verbose, "Print debug logs on stderr");
  app.add_flag("--json", g.json, "Print the result as JSON on stdout");
}

// One line on stderr, in the shape every tiny error has.
void print_error(const std::string& message) { std::fprintf(stderr, "tiny: error: %s\n", message.c_str()); }

// Prints the exception in flight and returns its exit code: usage errors, and any error raised while
// reading options and config files, are 2; runtime failures are 1.
int report_current_exception(bool while_parsing) {
  try {
    throw;
  } catch (const UsageError& e) {
    print_error(e.what());
    return 2;
  } catch (const Error& e) {
    print_error(e.what());
    return while_parsing ? 2 : 1;
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return 1;
  } catch (const std::exception& e) {
    print_error(std::string("unexpected failure: ") + e.what());
    return 1;
  }
}

// CLI11's help, with an argument that is both positional and an option (`files,--files`, so that a
// config file can give it) listed once, under Positionals.
class HelpFormatter : public CLI::Formatter {
public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    if (!is_positional && opt->get_positional()) return "";
    return CLI::Formatter::make_option(opt, is_positional);
  }
};

}  // namespace

Cli::Cli(CLI::App& root, GlobalOptions& globals) : root_(root), globals_(globals) {
  root_.require_subcommand(1);
  root_.formatter(std::make_shared<HelpFormatter>());
  root_.config_formatter(std::make_shared<JsonConfig>(&root_));
  root_.set_config("--config", "", "Read a command's options from a JSON file (command-line flags win)")
      ->configurable(false);
  root_.add_flag("--print-config", "Print the command's effective options as JSON and exit")->configurable(false);
  root_.allow_config_extras(CLI::config_extras_mode::error);
  add_global_options(root_, globals_);
}

CLI::App* Cli::group(const std::string& name, const std::string& description) {
  auto existing = root_.get_subcommands([&](CLI::App* a) { return a->get_name() == name; });
  if (!existing.empty()) return existing.front();
  CLI::App* g = root_.add_subcommand(name, description);
  g->require_subcommand(1);
  g->fallthrough();
  return g;
}

CLI::App* Cli::add(const std::string& name, const std::string& description, const std::string& examples,
                   std::function<int()> run, CLI::App* parent) {
  CLI::App* sub = (parent ? *parent : root_).add_subcommand(name, description);
  sub->option_defaults()->always_capture_default();
  sub->fallthrough();  // --config and --print-config belong to the root app
  add_global_options(*sub, globals_);
  sub->footer("Examples:\n" + examples +
              "\n\nEvery option is also a key of a JSON file given with --config FILE (flags on the command\n"
              "line win); --print-config prints the effective options as JSON and exits.");
  commands_.emplace_back(sub, std::move(run));
  return sub;
}

namespace {

// The option a CLI11 message is about ("--shard-size" of "--shard-size: Value 0 not in range ..." or of
// "Could not convert: --shard-size = abc"), or "".
std::string option_of_message(const std::string& message) {
  size_t at = message.find("--");
  if (at == std::string::npos) return "";
  size_t end = message.find_first_of(" :=,", at);
  return message.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

std::string Cli::parse_error_message(const CLI::ParseError& e, const std::vector<std::string>& args) const {
  // The deepest command parsed: the root, or a group such as "bench" (whose first free word names a command).
  const CLI::App* app = &root_;
  std::string path;
  while (!app->get_subcommands().empty()) {
    app = app->get_subcommands().front();
    path += app->get_name() + " ";
  }
  if (app->get_require_subcommand_min() > 0) {
    for (const std::string& word : root_.remaining(true))
      if (!word.empty() && word[0] != '-')
        return fmt::format("unknown command '{}{}' (run 'tiny {}--help' for the list of commands)", path, word, path);
  }
  std::string hint = root_.get_subcommands().empty() ? " (run 'tiny --help' for the list of commands)" : "";
  // A bad value the command line did not give came from the config file: name the file and key.
  std::string option = option_of_message(e.what());
  const CLI::Option* config = root_.get_option_no_throw("--config");
  bool from_command_line = false;
  for (const auto& a : args) from_command_line |= a == option || a.rfind(option + "=", 0) == 0;
  if (!option.empty() && config && config->count() > 0 && !from_command_line)
    return fmt::format("{}: key '{}': {}", config->as<std::string>(), option.substr(2), e.what());
  return e.what() + hint;
}

void Cli::apply_globals() {
  log::set_level(globals_.quiet ? log::Level::quiet : globals_.verbose ? log::Level::debug : log::Level::info);
  Progress::set_enabled(!globals_.quiet);
  set_thread_count(globals_.threads);
  image::set_opencv_threads(thread_count());
  if (models_plugin_loaded()) models_plugin().set_threads(thread_count());
}

int Cli::main(int argc, char** argv) {
  try {
    root_.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return root_.exit(e);  // --help, --help-all, --version
  } catch (const CLI::ParseError& e) {
    print_error(parse_error_message(e, std::vector<std::string>(argv + 1, argv + argc)));
    return 2;
  } catch (...) {
    return report_current_exception(true);
  }
  try {
    for (auto& [app, run] : commands_) {
      if (!app->parsed()) continue;
      if (root_.get_option("--print-config")->count() > 0) {
        std::cout << JsonConfig(&root_).to_config(app, true, false, "");
        return 0;
      }
      apply_globals();
      return run();
    }
    return 2;
  } catch (...) {
    return report_current_exception(false);
  }
}

void add_compressai_options(CLI::App* sub, std::string& mode, std::string& python) {
  sub->add_option("--compressai", mode, "Run CompressAI beside tiny when the interpreter can import it (auto), or not")
      ->check(CLI::IsMember({"auto", "off"}))
      ->capture_default_str();
  sub->add_option("--python", python, "Python interpreter for CompressAI (default: $TINY_PYTHON, else /usr/bin/python3)")
      ->capture_default_str();
}

void add_force_flag(CLI::App* sub, bool& force, const std::string& description) {
  sub->add_flag("--force,--overwrite", force, description);
}

CLI::Validator in_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double v = 0;
        size_t used = 0;
        try {
          v = std::stod(text, &used);
        } catch (const std::exception&) {
          return fmt::format("'{}' is not a number", text);
        }
        if (used != text.size() || !(v >= lo && v <= hi)) return fmt::format("{} is not in the range {} to {}", text, lo, hi);
        return "";
      },
      fmt::format("NUMBER in {} to {}", lo, hi));
}

void add_allow_failures_flag(CLI::App* sub, GlobalOptions& g) {
  sub->add_flag("--allow-failures", g.allow_failures,
                "Exit 0 when some inputs failed (they are still reported), as long as one succeeded");
}

int batch_exit_code(size_t failed, size_t succeeded, const GlobalOptions& g) {
  if (failed == 0) return 0;
  return g.allow_failures && succeeded > 0 ? 0 : 1;
}

nlohmann::json json_document(nlohmann::json result) {
  if (!result.is_object()) throw std::logic_error("a --json document must be an object");
  result["version"] = build_info().version;
  return result;
}

void print_json(const nlohmann::json& result) { std::cout << dump_json(json_document(result), 2) << std::endl; }

}  // namespace tiny::cli
