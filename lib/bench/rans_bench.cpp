#include "bench/rans_bench.hpp"

#include "bench/timing.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "entropy/rans.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace tiny::bench {

using namespace entropy;

RansBenchSymbols bench_symbols(const std::vector<QuantizedCdf>& cdfs, size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  RansBenchSymbols d;
  d.symbols.resize(count);
  d.indexes.resize(count);
  std::uniform_int_distribution<int32_t> pick(0, int32_t(cdfs.size()) - 1);
  std::uniform_int_distribution<uint32_t> slot(0, (1u << kCdfPrecision) - 1);
  for (size_t i = 0; i < count; ++i) {
    int32_t t = pick(rng);
    const auto& c = cdfs[size_t(t)].cdf;
    uint32_t u = slot(rng);
    int s = int(std::upper_bound(c.begin(), c.end(), u) - c.begin()) - 1;
    d.indexes[i] = t;
    int tail = cdfs[size_t(t)].tail_symbol();
    d.symbols[i] = s == tail ? cdfs[size_t(t)].offset + tail + 1000 : cdfs[size_t(t)].offset + s;
    d.ideal_bits += -std::log2(double(c[size_t(s) + 1] - c[size_t(s)]) / (1u << kCdfPrecision));
    if (s == tail) d.ideal_bits += 4 * (1 + 3);  // escape length and the three chunks of 2*1000
  }
  return d;
}

RansBenchResult bench_rans(const std::string& name, const std::vector<QuantizedCdf>& cdfs,
                           const RansBenchSymbols& data, int repeats, size_t substreams) {
  RansTables tables(cdfs);
  const std::vector<int32_t>& symbols = data.symbols;
  const std::vector<int32_t>& indexes = data.indexes;
  const size_t n = symbols.size();
  const double ideal_bits = data.ideal_bits;
  RansBenchResult r;
  r.table = name;
  r.symbols = n;
  r.tables = cdfs.size();
  r.substreams = substreams;
  r.threads = thread_count();
  std::vector<uint8_t> stream;
  std::vector<int32_t> decoded(n);
  // CPU time of the calling thread: only meaningful single-threaded, where it discounts time lost to
  // other processes on a busy machine.
  const CpuClock thread = CpuClock::thread;
  Timing enc = best_of(repeats, [&] { stream = rans_encode(symbols, indexes, tables); }, thread);
  Timing dec = best_of(repeats, [&] {
    rans_decode(stream.data(), stream.size(), indexes.data(), n, tables, decoded.data());
  }, thread);
  if (decoded != symbols) throw Error(fmt::format("bench rans: {} table round trip mismatch", name));
  std::vector<std::vector<uint8_t>> streams;
  Timing enc_mt = best_of(repeats, [&] { streams = rans_encode_substreams(symbols, indexes, tables, substreams); }, thread);
  Timing dec_mt = best_of(repeats, [&] { decoded = rans_decode_substreams(streams, indexes, tables); }, thread);
  if (decoded != symbols) throw Error(fmt::format("bench rans: {} table substream round trip mismatch", name));
  r.encode_msps = double(n) / enc.wall / 1e6;
  r.decode_msps = double(n) / dec.wall / 1e6;
  r.encode_msps_cpu = double(n) / enc.cpu / 1e6;
  r.decode_msps_cpu = double(n) / dec.cpu / 1e6;
  r.encode_msps_mt = double(n) / enc_mt.wall / 1e6;
  r.decode_msps_mt = double(n) / dec_mt.wall / 1e6;
  r.bits_per_symbol = n ? 8.0 * double(stream.size()) / double(n) : 0;
  r.ideal_bits_per_symbol = n ? ideal_bits / double(n) : 0;
  r.overhead_percent = ideal_bits > 0 ? 100.0 * (8.0 * double(stream.size()) - ideal_bits) / ideal_bits : 0;
  return r;
}

}  // namespace tiny::bench
