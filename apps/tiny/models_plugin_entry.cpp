// The entry point of libtiny_commands.so: the commands and services that run a network.
#include "commands.hpp"
#include "models_plugin.hpp"
#include "nn/threads.hpp"
#include "torch_decompress.hpp"

namespace {

void register_model_commands(tiny::cli::Cli& cli) {
  tiny::cli::register_compress(cli);
  tiny::cli::register_convert(cli);
  tiny::cli::register_train(cli);
  tiny::cli::register_bench_kodak(cli);
  tiny::cli::register_bench_codec(cli);
  tiny::cli::register_bench_tiles(cli);
  tiny::cli::register_bench_rans(cli);
  tiny::cli::register_bench_train_step(cli);
}

}  // namespace

extern "C" const tiny::cli::ModelsPlugin* tiny_models_plugin() {
  static const tiny::cli::ModelsPlugin plugin{&register_model_commands, &tiny::nn::set_torch_threads,
                                              &tiny::scorer::load_scorer, &tiny::cli::torch_decompress};
  return &plugin;
}
