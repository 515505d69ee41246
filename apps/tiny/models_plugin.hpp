#pragma once
// The commands and services that run a network (compress, convert, train, the model benches,
// filter-dataset's learned scorer, decompress of what the torch-free decoder does not run) live in a plugin, libtiny_commands.so beside the binary,
// built on libtiny_models and libtorch. The binary loads it only when a command needs it, so that the
// commands which run no network start without mapping libtorch (plugins.hpp).
#include "cli.hpp"
#include "core/file_io.hpp"
#include "dataset/score.hpp"
#include "image/rows.hpp"
#include "model_choice.hpp"
#include "scorer/scorer.hpp"

#include <memory>

namespace tiny::cli {

// What the plugin provides; its entry point `tiny_models_plugin` returns one.
struct ModelsPlugin {
  void (*register_commands)(Cli& cli);  // adds its commands, as main() adds the binary's own
  void (*set_threads)(int n);            // sizes libtorch's thread pools
  std::unique_ptr<dataset::ImageScorer> (*load_scorer)(const scorer::ScorerOptions& options);
  // Decodes the bitstream `tic` (`name` in errors) with the torch codec, band by band into `out`, or
  // only decodes its latents and checks their checksum when `out` is null: what the torch-free
  // decoder does not run (context models, version 1 bitstreams, --untrained models).
  void (*torch_decompress)(const ModelChoice& choice, const Bytes& tic, const std::string& name, image::RowWriter* out);
};

// Loads the plugin on first use (from the folder of the running binary) and sizes its thread pools;
// throws Error naming the file when it cannot be loaded.
const ModelsPlugin& models_plugin();
// True once models_plugin() has loaded the plugin.
bool models_plugin_loaded();

}  // namespace tiny::cli
