// tiny bench startup: tiny's start-up time and memory as a command against ffprobe's.
#include "bench/startup_bench.hpp"
#include "commands.hpp"
#include "core/table.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace tiny::cli {
namespace {

struct BenchStartupOptions {
  int runs = 20;
};

int run_bench_startup(const BenchStartupOptions& o, const GlobalOptions& g) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  nlohmann::json rows = bench::bench_startup(self, o.runs);
  if (g.json) {
    print_json({{"benchmark", "startup"}, {"results", rows}});
    return 0;
  }
  Table table({"command", "median ms", "CPU ms", "peak MB", "baseline", "median ms", "CPU ms", "peak MB", "ratio",
               "CPU ratio"});
  for (const auto& r : rows) {
    const auto& t = r["tiny"];
    const auto& b = r["baseline_timing"];
    table.add_row({r["command"].get<std::string>(), fmt::format("{:.1f}", double(t["median_ms"])),
                   fmt::format("{:.1f}", double(t["cpu_ms"])), fmt::format("{:.0f}", double(t["peak_mb"])),
                   r["baseline"].get<std::string>(), fmt::format("{:.1f}", double(b["median_ms"])),
                   fmt::format("{:.1f}", double(b["cpu_ms"])), fmt::format("{:.0f}", double(b["peak_mb"])),
                   fmt::format("{:.2f}x", double(r["ratio"])), fmt::format("{:.2f}x", double(r["cpu_ratio"]))});
  }
  std::cout << table.render();
  return 0;
}

}  // namespace

void register_bench_startup(Cli& cli) {
  auto o = std::make_shared<BenchStartupOptions>();
  CLI::App* sub = cli.add("startup", "Start-up time and peak memory of tiny as a command vs ffprobe",
                          "  tiny bench startup\n  tiny bench startup --runs 50 --json",
                          [o, &cli] { return run_bench_startup(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_option("--runs", o->runs, "Runs of each command (the median is reported)")->check(CLI::Range(1, 1000));
}

}  // namespace tiny::cli
