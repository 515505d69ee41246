// tiny bench rans: rANS coder throughput and code length against the ideal, and against CompressAI's
// coder on the same symbols and tables when the Python interpreter can import it.
#include "bench/compressai_side_by_side.hpp"
#include "bench/rans_bench.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/table.hpp"
#include "entropy/model_cdfs.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace tiny::cli {
namespace {

struct BenchRansOptions {
  size_t symbols = 4000000;
  int repeats = 3;
  size_t substreams = 8;
  bool quick = false;
  std::string compressai = "auto";
  std::string python = bench::default_python();
};

// A table set, with CompressAI 1.2.4's speed on it (encode_with_indexes / decode_with_indexes from Python,
// CPU M symbols/s, best of three side-by-side runs on the 2-core development machine): the reference
// shown when CompressAI cannot run here.
struct TableSet {
  std::string name;
  std::vector<entropy::QuantizedCdf> cdfs;
  double reference_encode_msps, reference_decode_msps;
};

// tiny's result for one table set, with CompressAI's on the same symbols when `compressai` is set.
nlohmann::json bench_table_set(const TableSet& set, size_t n, int repeats, size_t substreams,
                               const bench::CompressAIRun* compressai) {
  bench::RansBenchSymbols data = bench::bench_symbols(set.cdfs, n);
  bench::RansBenchResult r = bench::bench_rans(set.name, set.cdfs, data, repeats, substreams);
  nlohmann::json j = {{"table", r.table},
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
                      {"overhead_percent", r.overhead_percent}};
  double encode_ref = set.reference_encode_msps, decode_ref = set.reference_decode_msps;
  if (compressai) {
    try {
      nlohmann::json m = bench::run_compressai_rans(set.cdfs, data.symbols, data.indexes, *compressai);
      encode_ref = double(n) / double(m["encode_cpu_s"]) / 1e6;
      decode_ref = double(n) / double(m["decode_cpu_s"]) / 1e6;
      m["encode_msym_per_cpu_s"] = encode_ref;
      m["decode_msym_per_cpu_s"] = decode_ref;
      m["bits_per_symbol"] = 8.0 * double(m["bytes"]) / double(n);
      j["compressai"] = std::move(m);
    } catch (const Error& e) {
      log::warn("bench rans: no CompressAI side by side for the {} tables: {}", set.name, e.what());
      j["compressai_error"] = e.what();
    }
  }
  if (!j.contains("compressai"))
    j["compressai_reference"] = {{"encode_msym_per_cpu_s", encode_ref}, {"decode_msym_per_cpu_s", decode_ref}};
  j["encode_vs_compressai"] = r.encode_msps_cpu / encode_ref;
  j["decode_vs_compressai"] = r.decode_msps_cpu / decode_ref;
  return j;
}

// CompressAI's value from the result's side-by-side run, else its reference speed marked "(ref)" (or "-").
std::string compressai_cell(const nlohmann::json& r, const char* key, int digits = 1) {
  if (r.contains("compressai")) return fmt::format("{:.{}f}", double(r["compressai"][key]), digits);
  if (r["compressai_reference"].contains(key)) return fmt::format("{:.1f} (ref)", double(r["compressai_reference"][key]));
  return "-";
}

std::string msps(const nlohmann::json& r, const char* key) { return fmt::format("{:.1f}", double(r[key])); }

// Speeds (M symbols/s) and ratios in one table, code lengths in another.
void print_tables(const nlohmann::json& results) {
  Table speed({"table", "enc", "dec", "enc/cpu-s", "dec/cpu-s", "enc pool", "dec pool", "CompressAI enc",
               "CompressAI dec", "enc vs CompressAI", "dec vs CompressAI"});
  Table size({"table", "symbols", "bits/sym", "ideal", "overhead", "CompressAI bits/sym"});
  for (const auto& r : results) {
    speed.add_row({r["table"], msps(r, "encode_msym_per_s"), msps(r, "decode_msym_per_s"),
                   msps(r, "encode_msym_per_cpu_s"), msps(r, "decode_msym_per_cpu_s"),
                   msps(r, "encode_msym_per_s_threads"), msps(r, "decode_msym_per_s_threads"),
                   compressai_cell(r, "encode_msym_per_cpu_s"), compressai_cell(r, "decode_msym_per_cpu_s"),
                   fmt::format("{:.1f}x", double(r["encode_vs_compressai"])),
                   fmt::format("{:.1f}x", double(r["decode_vs_compressai"]))});
    size.add_row({r["table"], std::to_string(size_t(r["symbols"])), fmt::format("{:.4f}", double(r["bits_per_symbol"])),
                  fmt::format("{:.4f}", double(r["ideal_bits_per_symbol"])),
                  fmt::format("{:.3f}%", double(r["overhead_percent"])), compressai_cell(r, "bits_per_symbol", 4)});
  }
  const nlohmann::json& first = results.front();
  std::cout << fmt::format("M symbols/s: one stream on one thread (per wall and per CPU second), and {} substreams "
                           "on the pool of {} threads\n",
                           size_t(first["substreams"]), int(first["threads"]))
            << speed.render() << "\n"
            << size.render();
}

int run_bench_rans(const BenchRansOptions& o, const GlobalOptions& g) {
  const size_t n = o.quick ? 200000 : o.symbols;
  const int repeats = o.quick ? 2 : o.repeats;
  nlohmann::json status;
  const std::optional<bench::CompressAIRun> compressai =
      bench::compressai_side_by_side(o.compressai, o.python, "scripts/compressai_rans_bench.py", repeats, status);
  const std::string baseline =
      compressai ? "CompressAI's rANS coder run side by side on the same symbols and tables; ratios of CPU seconds"
                 : "CompressAI 1.2.4's rANS coder as measured side by side on the development machine (reference "
                   "numbers, not run here: install CompressAI or set --python to measure it)";
  const std::vector<TableSet> sets = {
      {"gaussian", entropy::gaussian_cdfs(entropy::gaussian_scale_table()), 29.9, 14.1},
      {"factorized", entropy::factorized_cdfs(192), 29.9, 22.1}};
  nlohmann::json results = nlohmann::json::array();
  for (const auto& set : sets)
    results.push_back(bench_table_set(set, n, repeats, o.substreams, compressai ? &*compressai : nullptr));
  if (g.json) {
    print_json({{"benchmark", "rans"}, {"compressai", status}, {"baseline", baseline}, {"results", results}});
    return 0;
  }
  print_tables(results);
  std::cout << "baseline: " << baseline << "\n";
  return 0;
}

}  // namespace

void register_bench_rans(Cli& cli) {
  auto o = std::make_shared<BenchRansOptions>();
  CLI::App* sub = cli.add("rans", "rANS coder speed (M symbols/s) and size overhead vs the ideal code length",
                          "  tiny bench rans\n"
                          "  tiny bench rans --quick --json --compressai off\n"
                          "  tiny --threads 2 bench rans --symbols 10000000",
                          [o, &cli] { return run_bench_rans(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_option("--symbols", o->symbols, "Symbols per table set")->check(CLI::PositiveNumber);
  sub->add_option("--repeats", o->repeats, "Timed repetitions (the best is reported)")->check(CLI::PositiveNumber);
  sub->add_option("--substreams", o->substreams, "Independent substreams for the threaded run")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--quick", o->quick, "Small run (200k symbols, a few seconds) for CI");
  add_compressai_options(sub, o->compressai, o->python);
}

}  // namespace tiny::cli
