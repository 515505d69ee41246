#pragma once
// Shared CLI glue: global options, subcommand registration with a JSON --config file and
// --print-config, and helpers for result output. Subcommand files only declare options and call
// the library.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tiny::cli {

// Options every command takes (also accepted after the subcommand name and as config keys).
struct GlobalOptions {
  int threads = 0;  // 0: all cores
  bool quiet = false, verbose = false, json = false;
  // Set by --allow-failures, which only commands that run batches take (add_allow_failures_flag).
  bool allow_failures = false;
};

// The set of registered subcommands and the run function of each.
class Cli {
public:
  Cli(CLI::App& root, GlobalOptions& globals);
  // Adds a command (under `parent`, or at the top level) with the global options and an examples
  // footer; `run` returns the exit code.
  CLI::App* add(const std::string& name, const std::string& description, const std::string& examples,
                std::function<int()> run, CLI::App* parent = nullptr);
  // Returns the command group `name` (e.g. "bench"), creating it on first use; its members are
  // added with add(..., group).
  CLI::App* group(const std::string& name, const std::string& description);
  // Parses argv and runs the chosen subcommand, mapping errors to exit codes (0/1/2).
  int main(int argc, char** argv);
  GlobalOptions& globals() { return globals_; }

private:
  void apply_globals();
  // The one-line message for a command-line error: "unknown command 'NAME'" when a word names no
  // command, else CLI11's message (with a pointer to the list of commands when none was given).
  std::string parse_error_message(const CLI::ParseError& e, const std::vector<std::string>& args) const;
  CLI::App& root_;
  GlobalOptions& globals_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

// Adds the benches' --compressai (auto|off: run CompressAI beside tiny when the interpreter can import it)
// and --python options, bound to `mode` and `python`.
void add_compressai_options(CLI::App* sub, std::string& mode, std::string& python);

// Adds the flag that lets a command replace existing outputs, spelled alike everywhere: --force, also
// accepted as --overwrite (config key "force"; "overwrite" is read too).
void add_force_flag(CLI::App* sub, bool& force, const std::string& description);

// A check that a number lies in [lo, hi], whose error shows the bounds as numbers are written ("0 to 0.99",
// not "0.000000 to 0.990000").
CLI::Validator in_range(double lo, double hi);

// Adds --allow-failures to a command that runs a batch of inputs (config key "allow-failures"): its exit
// code is then 0 when some inputs failed, as long as one succeeded.
void add_allow_failures_flag(CLI::App* sub, GlobalOptions& g);
// The exit code of a batch, once it has finished and reported: 0 when nothing failed; 1 when some
// inputs failed, unless --allow-failures was given and at least one input succeeded.
int batch_exit_code(size_t failed, size_t succeeded, const GlobalOptions& g);

// The document a command's --json prints: `result` (an object, one shape whatever the number of inputs)
// with "version" (tiny's version) added.
nlohmann::json json_document(nlohmann::json result);
// Prints json_document(result) to stdout (indented), strings that are not UTF-8 escaped as \xNN.
void print_json(const nlohmann::json& result);

}  // namespace tiny::cli
