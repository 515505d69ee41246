#pragma once
// CLI11 config formatter for JSON files: each key is the long name of one of the chosen
// subcommand's options (its first, which --print-config writes, or any alias); unknown keys and values of the wrong type are errors naming the file and
// the key. It is installed on the root app, which owns --config (CLI11 reads config files only
// there); the items it returns are addressed to the subcommand that was parsed.
#include <CLI/CLI.hpp>

namespace tiny::cli {

class JsonConfig : public CLI::Config {
public:
  explicit JsonConfig(const CLI::App* root) : root_(root) {}
  // Writes the effective options of `app` as a JSON object (for --print-config).
  std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                        std::string prefix) const override;
  // Reads a JSON object into CLI11 config items, validating keys and types.
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

private:
  const CLI::App* root_;
};

}  // namespace tiny::cli
