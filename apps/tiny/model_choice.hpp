#pragma once
// How the user picks a model for `tiny compress` and `tiny decompress` (-m, --arch, --quality,
// --untrained, --exact) and which model file that choice names. Torch-free: part of the binary, used
// by the torch-free decompress and by the plugin's model cache (codec_cli.hpp) alike.
#include "cli.hpp"

#include <string>

namespace tiny::cli {

// How the user picks a model: a file or name (-m), or an architecture and quality.
struct ModelChoice {
  std::string model;
  std::string arch;
  double quality = -1;  // negative: the default; variable-rate models take any real quality in their range
  bool quality_given() const { return quality >= 0; }
  bool untrained = false;
  bool exact = false;  // reconstruct on the fixed-order kernels (the same pixels on every machine)
};

// Adds -m/--model, --arch, --quality, --untrained and --exact to a command.
void add_model_options(CLI::App* sub, ModelChoice& choice);

// The model a choice names, `arch`/`quality` filling in what the user left out.
struct ChosenModel {
  std::string key;       // the model file, or "untrained:<arch>:<level>" (--untrained)
  std::string arch;      // the architecture asked for (a -m file records its own)
  int level = 0;         // the zoo level: the quality, or a variable-rate architecture's level count
  double quality = 0;    // the quality asked for
};
// Resolves a choice (UsageError for contradictory options, Error when no such model is found).
ChosenModel choose_model(const ModelChoice& choice, const std::string& arch, double quality);
// The model for a bitstream of `arch` and `quality` (its header's; the user's options first): an
// architecture or quality in the header that tiny does not have is that file's fault (Error naming
// `name`), not a usage error.
ChosenModel choose_model_for_bitstream(const ModelChoice& choice, const std::string& arch, double quality,
                                       const std::string& name);
// Refuses --quality with a fixed-rate model file (it has no other quality); `arch` and `quality` are
// those the loaded model `key` records.
void check_fixed_rate_quality(const ModelChoice& choice, const std::string& key, const std::string& arch, int quality);

}  // namespace tiny::cli
