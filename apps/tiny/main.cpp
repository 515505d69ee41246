// tiny: learned image compression and the image data work around it.
#include "cli.hpp"
#include "commands.hpp"
#include "core/build_info.hpp"

#include <fmt/format.h>

namespace {

std::string version_text() {
  tiny::BuildInfo b = tiny::build_info();
  return fmt::format("tiny {} (git {}, {} build)\nfeatures: {}", b.version, b.git_hash, b.build_type,
                     fmt::join(b.features, " "));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("tiny: learned image compression and the image data work around it.\n"
               "Run 'tiny <command> --help' for a command's options and examples.",
               "tiny");
  app.set_version_flag("--version", version_text());
  tiny::cli::GlobalOptions globals;
  tiny::cli::Cli cli(app, globals);
  tiny::cli::register_info(cli);
  tiny::cli::register_bench_load(cli);
  tiny::cli::register_bench_tiles(cli);
  tiny::cli::register_bench_kodak(cli);
  tiny::cli::register_bench_rans(cli);
  tiny::cli::register_filter_dataset(cli);
  tiny::cli::register_bench_dataset(cli);
  tiny::cli::register_frames(cli);
  tiny::cli::register_bench_frames(cli);
  tiny::cli::register_ingest(cli);
  tiny::cli::register_bench_ingest(cli);
  tiny::cli::register_compress(cli);
  tiny::cli::register_decompress(cli);
  tiny::cli::register_bench_codec(cli);
  tiny::cli::register_convert(cli);
  tiny::cli::register_train(cli);
  tiny::cli::register_bench_train_step(cli);
  return cli.main(argc, argv);
}
