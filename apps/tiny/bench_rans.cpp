// tiny bench rans: rANS coder throughput and code length against the ideal, and against
// CompressAI's published coder speed.
#include "commands.hpp"
#include "core/table.hpp"
#include "entropy/rans_bench.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

// CompressAI's rANS coder through its Python API on this kind of machine (measured elsewhere,
// see docs/commands/bench-rans.md); no Python CompressAI is installed here to run it.
constexpr double kCompressaiEncodeMsps = 7.5;
constexpr double kCompressaiDecodeMsps = 19.5;

struct BenchRansOptions {
  size_t symbols = 4000000;
  int repeats = 3;
  size_t substreams = 8;
  bool quick = false;
};

nlohmann::json to_json(const entropy::RansBenchResult& r) {
  return {{"table", r.table},
          {"symbols", r.symbols},
          {"tables", r.tables},
          {"threads", r.threads},
          {"substreams", r.substreams},
          {"encode_msym_per_s", r.encode_msps},
          {"decode_msym_per_s", r.decode_msps},
          {"encode_msym_per_cpu_s", r.encode_msps_cpu},
          {"decode_msym_per_cpu_s", r.decode_msps_cpu},
          {"encode_msym_per_s_threads", r.encode_msps_mt},
          {"decode_msym_per_s_threads", r.decode_msps_mt},
          {"bits_per_symbol", r.bits_per_symbol},
          {"ideal_bits_per_symbol", r.ideal_bits_per_symbol},
          {"overhead_percent", r.overhead_percent},
          {"encode_vs_compressai", r.encode_msps / kCompressaiEncodeMsps},
          {"decode_vs_compressai", r.decode_msps / kCompressaiDecodeMsps}};
}

int run_bench_rans(const BenchRansOptions& o, const GlobalOptions& g) {
  size_t n = o.quick ? 200000 : o.symbols;
  int repeats = o.quick ? 2 : o.repeats;
  std::vector<entropy::RansBenchResult> results = {
      entropy::bench_rans("gaussian", entropy::gaussian_cdfs(entropy::gaussian_scale_table()), n, repeats,
                          o.substreams),
      entropy::bench_rans("factorized", entropy::factorized_cdfs(192), n, repeats, o.substreams)};
  if (g.json) {
    nlohmann::json out = {{"benchmark", "rans"},
                          {"baseline", {{"name", "CompressAI rANS (published/measured elsewhere)"},
                                        {"encode_msym_per_s", kCompressaiEncodeMsps},
                                        {"decode_msym_per_s", kCompressaiDecodeMsps}}},
                          {"results", nlohmann::json::array()}};
    for (const auto& r : results) out["results"].push_back(to_json(r));
    print_json(out);
    return 0;
  }
  Table table({"table", "symbols", "enc M/s", "dec M/s", "enc M/cpu-s", "dec M/cpu-s", "enc M/s (threads)", "dec M/s (threads)", "bits/sym",
               "ideal", "overhead", "enc vs CompressAI", "dec vs CompressAI"});
  for (const auto& r : results)
    table.add_row({r.table, std::to_string(r.symbols), fmt::format("{:.1f}", r.encode_msps),
                   fmt::format("{:.1f}", r.decode_msps), fmt::format("{:.1f}", r.encode_msps_cpu),
                   fmt::format("{:.1f}", r.decode_msps_cpu),
                   fmt::format("{:.1f} ({}t, {} streams)", r.encode_msps_mt, r.threads, r.substreams),
                   fmt::format("{:.1f}", r.decode_msps_mt), fmt::format("{:.4f}", r.bits_per_symbol),
                   fmt::format("{:.4f}", r.ideal_bits_per_symbol), fmt::format("{:.3f}%", r.overhead_percent),
                   fmt::format("{:.1f}x", r.encode_msps / kCompressaiEncodeMsps),
                   fmt::format("{:.1f}x", r.decode_msps / kCompressaiDecodeMsps)});
  std::cout << table.render();
  std::cout << fmt::format("baseline: CompressAI rANS {:.1f} M/s encode, {:.1f} M/s decode (published/measured "
                           "elsewhere, not run here)\n",
                           kCompressaiEncodeMsps, kCompressaiDecodeMsps);
  return 0;
}

}  // namespace

void register_bench_rans(Cli& cli) {
  auto o = std::make_shared<BenchRansOptions>();
  CLI::App* sub = cli.add("rans", "rANS coder speed (M symbols/s) and size overhead vs the ideal code length",
                          "  tiny bench rans\n"
                          "  tiny bench rans --quick --json\n"
                          "  tiny --threads 2 bench rans --symbols 10000000",
                          [o, &cli] { return run_bench_rans(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_option("--symbols", o->symbols, "Symbols per table set")->check(CLI::PositiveNumber);
  sub->add_option("--repeats", o->repeats, "Timed repetitions (the best is reported)")->check(CLI::PositiveNumber);
  sub->add_option("--substreams", o->substreams, "Independent substreams for the threaded run")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--quick", o->quick, "Small run (200k symbols, a few seconds) for CI");
}

}  // namespace tiny::cli
