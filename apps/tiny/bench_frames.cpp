// tiny bench frames: frame extraction speed against the ffmpeg command-line tool.
#include "bench/frames_bench.hpp"
#include "commands.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace tiny::cli {
namespace {

struct BenchFramesOptions {
  bool quick = false;
};

std::string megabytes(const nlohmann::json& bytes) { return fmt::format("{:.1f}", bytes.get<double>() / 1e6); }

int run_bench_frames(const BenchFramesOptions& o, const GlobalOptions& g) {
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  nlohmann::json r = bench::bench_frames(o.quick, self);
  if (g.json) {
    print_json(r);
    return 0;
  }
  std::cout << "clip: " << r["video"].get<std::string>() << "; indices on: " << r["indices_video"].get<std::string>()
            << "; " << r["output"].get<std::string>() << "\n";
  bool start = !r["tiny_startup_s"].is_null();
  if (start) {
    std::cout << fmt::format("tiny's own start (not in 'tiny s'; a tiny frames command adds it): {:.3f} s\n",
                             r["tiny_startup_s"].get<double>());
  }
  Table table({"case", "tiny s", "frames", "MB", "baseline", "baseline s", "frames", "MB", "speedup",
               "with start", "same pixels"});
  for (const auto& c : r["results"]) {
    const auto& same = c["identical"];
    table.add_row({c["case"].get<std::string>(), fmt::format("{:.3f}", c["tiny_s"].get<double>()),
                   std::to_string(c["tiny_frames"].get<size_t>()), megabytes(c["tiny_bytes"]),
                   c["baseline"].get<std::string>(), fmt::format("{:.3f}", c["baseline_s"].get<double>()),
                   std::to_string(c["baseline_frames"].get<size_t>()), megabytes(c["baseline_bytes"]),
                   fmt::format("{:.2f}x", c["speedup"].get<double>()),
                   start ? fmt::format("{:.2f}x", c["speedup_with_start"].get<double>()) : "-",
                   same.is_null() ? "-" : same.get<bool>() ? "yes" : "NO"});
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
