#pragma once
// One registration function per subcommand. main() calls those of the binary's own commands; the
// plugins' entries (models_plugin_entry.cpp, video_plugin_entry.cpp) call those of the commands that
// run a network or decode video. A subcommand is registered only when it really works.
#include "cli.hpp"

namespace tiny::cli {

void register_info(Cli& cli);
void register_bench_load(Cli& cli);
void register_bench_startup(Cli& cli);
void register_bench_tiles(Cli& cli);
void register_bench_kodak(Cli& cli);
void register_bench_rans(Cli& cli);
void register_filter_dataset(Cli& cli);
void register_bench_dataset(Cli& cli);
void register_frames(Cli& cli);
void register_bench_frames(Cli& cli);
void register_ingest(Cli& cli);
void register_bench_ingest(Cli& cli);
void register_compress(Cli& cli);
void register_decompress(Cli& cli);
void register_bench_codec(Cli& cli);
void register_convert(Cli& cli);
void register_train(Cli& cli);
void register_bench_train_step(Cli& cli);

}  // namespace tiny::cli
