// tiny bench frames: frame extraction speed against the ffmpeg command-line tool.
#include "commands.hpp"
#include "core/table.hpp"
#include "video/bench.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

struct BenchFramesOptions {
  bool quick = false;
};

int run_bench_frames(const BenchFramesOptions& o, const GlobalOptions& g) {
  nlohmann::json r = video::bench_frames(o.quick);
  if (g.json) {
    print_json(r);
    return 0;
  }
  std::cout << "clip: " << r["video"].get<std::string>() << "; indices on: " << r["indices_video"].get<std::string>()
            << "\n";
  Table table({"case", "tiny s", "frames", "baseline", "baseline s", "frames", "speedup"});
  for (const auto& c : r["results"]) {
    table.add_row({c["case"].get<std::string>(), fmt::format("{:.3f}", c["tiny_s"].get<double>()),
                   std::to_string(c["tiny_frames"].get<size_t>()), c["baseline"].get<std::string>(),
                   fmt::format("{:.3f}", c["baseline_s"].get<double>()),
                   std::to_string(c["baseline_frames"].get<size_t>()),
                   fmt::format("{:.2f}x", c["speedup"].get<double>())});
  }
  std::cout << table.render();
  return 0;
}

}  // namespace

void register_bench_frames(Cli& cli) {
  auto o = std::make_shared<BenchFramesOptions>();
  CLI::App* sub = cli.add("frames", "Frame extraction: tiny frames vs the ffmpeg command-line tool",
                          "  tiny bench frames --quick\n  tiny bench frames --json",
                          [o, &cli] { return run_bench_frames(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_flag("--quick", o->quick, "Small clip (360p, 4 s) for CI");
}

}  // namespace tiny::cli
