#pragma once
// Throughput and code-length measurement of the rANS coder on realistic tables (used by
// `tiny bench rans`).
#include "entropy/cdf.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace tiny::bench {

struct RansBenchResult {
  std::string table;
  size_t symbols = 0, tables = 0, substreams = 0;
  int threads = 0;
  double encode_msps = 0, decode_msps = 0;         // single thread, one stream, wall time
  double encode_msps_cpu = 0, decode_msps_cpu = 0; // the same per CPU-second of the coding thread
  double encode_msps_mt = 0, decode_msps_mt = 0;   // tiny's thread pool, `substreams` streams
  double bits_per_symbol = 0, ideal_bits_per_symbol = 0, overhead_percent = 0;
};

// Symbols to code: each with a uniformly random table, drawn from that table's own distribution (the
// tail symbol as a value beyond the range), and their ideal code length in bits.
struct RansBenchSymbols {
  std::vector<int32_t> symbols, indexes;
  double ideal_bits = 0;
};
RansBenchSymbols bench_symbols(const std::vector<entropy::QuantizedCdf>& cdfs, size_t count, unsigned seed = 1);

// Codes the symbols `repeats` times single-threaded and with substreams on tiny's pool, checks every
// round trip (throws tiny::Error on a mismatch) and reports the best times.
RansBenchResult bench_rans(const std::string& name, const std::vector<entropy::QuantizedCdf>& cdfs,
                           const RansBenchSymbols& data, int repeats, size_t substreams);

}  // namespace tiny::bench
