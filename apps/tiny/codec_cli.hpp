#pragma once
// Options and helpers shared by `tiny compress` and `tiny decompress`: choosing the model and
// naming outputs.
#include "cli.hpp"
#include "codec/codec.hpp"

#include <map>
#include <memory>
#include <string>

namespace tiny::cli {

// How the user picks a model: a file or name (-m), or an architecture and quality.
struct ModelChoice {
  std::string model;
  std::string arch;
  int quality = 0;
  bool untrained = false;
};

// Adds -m/--model, --arch, --quality and --untrained to a command.
void add_model_options(CLI::App* sub, ModelChoice& choice);

// Loads the chosen model once per distinct choice; `arch`/`quality` fill in what the user left out
// (decompress passes the bitstream's own).
class ModelCache {
public:
  const codec::Codec& get(const ModelChoice& choice, const std::string& arch, int quality);

private:
  std::map<std::string, std::unique_ptr<codec::Codec>> loaded_;
};

// The output path for `input`: -o if given (a folder when there are several inputs), stdout for
// stdin, else the input with its extension replaced by `ext`.
std::string output_path(const std::string& input, const std::string& output, bool several, const std::string& ext);

}  // namespace tiny::cli
