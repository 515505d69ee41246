// tiny: learned image compression and the image data work around it.
#include "cli.hpp"
#include "commands.hpp"
#include "models_plugin.hpp"
#include "plugins.hpp"
#include "video_plugin.hpp"
#include "core/build_info.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cstdio>

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
  tiny::cli::register_decompress(cli);
  tiny::cli::register_filter_dataset(cli);
  tiny::cli::register_ingest(cli);
  tiny::cli::register_bench_load(cli);
  tiny::cli::register_bench_dataset(cli);
  tiny::cli::register_bench_ingest(cli);
  tiny::cli::register_bench_startup(cli);
  try {
    const tiny::cli::NeededPlugins needed = tiny::cli::needed_plugins(app, argc, argv);
    if (needed.video) tiny::cli::video_plugin().register_commands(cli);
    if (needed.models) tiny::cli::models_plugin().register_commands(cli);
  } catch (const tiny::Error& e) {
    std::fprintf(stderr, "tiny: error: %s\n", e.what());
    return 1;
  }
  return cli.main(argc, argv);
}
