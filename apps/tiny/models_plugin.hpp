#pragma once
// The commands and services that run a network (compress, decompress, convert, train, the model
// benches, filter-dataset's learned scorer) live in a plugin, libtiny_commands.so beside the binary,
// built on libtiny_models and libtorch. The binary loads it only when a command needs it, so that the
// commands which run no network start without mapping libtorch (plugins.hpp).
#include "cli.hpp"
#include "dataset/score.hpp"
#include "scorer/scorer.hpp"

#include <memory>

namespace tiny::cli {

// What the plugin provides; its entry point `tiny_models_plugin` returns one.
struct ModelsPlugin {
  void (*register_commands)(Cli& cli);  // adds its commands, as main() adds the binary's own
  void (*set_threads)(int n);            // sizes libtorch's thread pools
  std::unique_ptr<dataset::ImageScorer> (*load_scorer)(const scorer::ScorerOptions& options);
};

// Loads the plugin on first use (from the folder of the running binary) and sizes its thread pools;
// throws Error naming the file when it cannot be loaded.
const ModelsPlugin& models_plugin();
// True once models_plugin() has loaded the plugin.
bool models_plugin_loaded();

}  // namespace tiny::cli
