#include "entropy/rans.hpp"

#include "core/parallel.hpp"
#include "entropy/rans_core.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::entropy {

using namespace detail;

namespace {

void check_index(int32_t index, const RansTables& tables) {
  if (uint32_t(index) >= tables.size())
    throw Error(fmt::format("rANS: table index {} out of range (have {} tables)", index, tables.size()));
}

// Encodes one symbol (and its escape, if any) on state x: the decoder reads the symbol first, so it
// is pushed last.
inline void encode_one(uint64_t& x, int32_t symbol, int32_t index, const RansTables& tables, uint32_t*& out) {
  const RansTable& t = tables.table(size_t(index));
  int64_t v = int64_t(symbol) - t.offset;
  int s = int(v);
  if (uint64_t(v) >= uint64_t(t.tail)) {
    uint64_t raw = escape_raw(v, t.tail);
    uint32_t chunks = 0;
    while (chunks < kMaxBypassChunks && (raw >> (kBypassBits * chunks)) != 0) ++chunks;
    for (uint32_t c = chunks; c-- > 0;) put_bypass(x, uint32_t(raw >> (kBypassBits * c)) & kBypassMask, out);
    put_bypass(x, chunks, out);
    s = t.tail;
  }
  put_symbol(x, tables.enc(size_t(index))[s], out);
}

}  // namespace

std::vector<uint8_t> rans_encode(const int32_t* symbols, const int32_t* indexes, size_t n, const RansTables& tables) {
  if (n == 0) return {};
  for (size_t i = 0; i < n; ++i) check_index(indexes[i], tables);
  // At most one word per symbol and per bypass chunk; escapes are rare, so grow on demand.
  std::vector<uint32_t> words(n + 2 * kRansLanes + 64);
  uint32_t* out = words.data();
  uint64_t x[kRansLanes];
  std::fill(x, x + kRansLanes, kRansL);
  const size_t slack = kMaxBypassChunks + 2;
  for (size_t i = n; i-- > 0;) {
    if (size_t(out - words.data()) + slack + 2 * kRansLanes > words.size()) {
      size_t used = size_t(out - words.data());
      words.resize(words.size() * 2);
      out = words.data() + used;
    }
    encode_one(x[i % kRansLanes], symbols[i], indexes[i], tables, out);
  }
  for (int k = kRansLanes; k-- > 0;) {
    *out++ = uint32_t(x[k] >> 32);
    *out++ = uint32_t(x[k]);
  }
  size_t count = size_t(out - words.data());
  std::vector<uint8_t> bytes(count * 4);
  for (size_t w = 0; w < count; ++w) {
    uint32_t v = words[count - 1 - w];
    for (int b = 0; b < 4; ++b) bytes[4 * w + b] = uint8_t(v >> (8 * b));
  }
  return bytes;
}

std::vector<uint8_t> rans_encode(const std::vector<int32_t>& symbols, const std::vector<int32_t>& indexes,
                                 const RansTables& tables) {
  if (symbols.size() != indexes.size())
    throw Error(fmt::format("rANS: {} symbols but {} indexes", symbols.size(), indexes.size()));
  return rans_encode(symbols.data(), indexes.data(), symbols.size(), tables);
}

void rans_decode(const uint8_t* data, size_t size, const int32_t* indexes, size_t n, const RansTables& tables,
                 int32_t* out) {
  for (size_t i = 0; i < n; ++i) check_index(indexes[i], tables);
  RansStreamDecoder dec(data, size, tables);
  dec.decode_checked(indexes, n, out);
  dec.finish();
}

std::vector<int32_t> rans_decode(const std::vector<uint8_t>& stream, const std::vector<int32_t>& indexes,
                                 const RansTables& tables) {
  std::vector<int32_t> out(indexes.size());
  rans_decode(stream.data(), stream.size(), indexes.data(), indexes.size(), tables, out.data());
  return out;
}

std::vector<size_t> substream_bounds(size_t n, size_t count) {
  if (count == 0) throw Error("rANS: the number of substreams must be at least 1");
  std::vector<size_t> b(count + 1, 0);
  for (size_t i = 0; i < count; ++i) b[i + 1] = b[i] + n / count + (i < n % count ? 1 : 0);
  return b;
}

std::vector<std::vector<uint8_t>> rans_encode_substreams(const std::vector<int32_t>& symbols,
                                                         const std::vector<int32_t>& indexes,
                                                         const RansTables& tables, size_t count) {
  if (symbols.size() != indexes.size())
    throw Error(fmt::format("rANS: {} symbols but {} indexes", symbols.size(), indexes.size()));
  std::vector<size_t> b = substream_bounds(symbols.size(), count);
  std::vector<std::vector<uint8_t>> streams(count);
  parallel_for(0, count, [&](size_t s) {
    streams[s] = rans_encode(symbols.data() + b[s], indexes.data() + b[s], b[s + 1] - b[s], tables);
  });
  return streams;
}

std::vector<int32_t> rans_decode_substreams(const std::vector<std::vector<uint8_t>>& streams,
                                            const std::vector<int32_t>& indexes, const RansTables& tables) {
  std::vector<size_t> b = substream_bounds(indexes.size(), streams.size());
  std::vector<int32_t> out(indexes.size());
  parallel_for(0, streams.size(), [&](size_t s) {
    rans_decode(streams[s].data(), streams[s].size(), indexes.data() + b[s], b[s + 1] - b[s], tables,
                out.data() + b[s]);
  });
  return out;
}

RansStreamDecoder::RansStreamDecoder(const uint8_t* data, size_t size, const RansTables& tables)
    : tables_(tables), p_(data), end_(data + size), empty_(size == 0) {
  std::fill(x_, x_ + kRansLanes, kRansL);
  if (empty_) return;
  if (size % 4 != 0 || size < 8 * kRansLanes)
    throw Error(fmt::format("rANS stream of {} bytes is truncated or corrupt", size));
  WordReader in{p_, end_};
  for (auto& x : x_) {
    uint64_t lo = in.next(), hi = in.next();
    x = (hi << 32) | lo;
    if (x < kRansL || x >= (kRansL << 32)) throw Error("rANS stream is corrupt (bad initial state)");
  }
  p_ = in.p;
}

int32_t RansStreamDecoder::next(int32_t index) {
  check_index(index, tables_);
  int32_t value;
  decode_checked(&index, 1, &value);
  return value;
}

void RansStreamDecoder::decode_checked(const int32_t* indexes, size_t n, int32_t* out) {
  if (n == 0) return;
  if (empty_) throw Error("rANS stream is empty but a symbol was requested");
  static_assert(kRansLanes == 4, "the unrolled loop below assumes 4 lanes");
  WordReader in{p_, end_};
  uint64_t x0 = x_[0], x1 = x_[1], x2 = x_[2], x3 = x_[3];
  auto step = [&](uint64_t& x, size_t i) {
    size_t index = size_t(indexes[i]);
    const RansTable& t = tables_.table(index);
    int s = get_symbol(x, tables_.lookup(index), tables_.cdf(index), in);
    out[i] = s == t.tail ? get_escaped(x, t, in) : s + t.offset;
  };
  auto step_lane = [&](size_t lane, size_t i) {
    step(lane == 0 ? x0 : lane == 1 ? x1 : lane == 2 ? x2 : x3, i);
  };
  size_t i = 0;
  for (; i < n && (count_ + i) % kRansLanes != 0; ++i) step_lane((count_ + i) % kRansLanes, i);
  // Four independent states per round: their dependency chains overlap in the CPU.
  for (; i + 4 <= n; i += 4) {
    step(x0, i);
    step(x1, i + 1);
    step(x2, i + 2);
    step(x3, i + 3);
  }
  for (; i < n; ++i) step_lane((count_ + i) % kRansLanes, i);
  x_[0] = x0, x_[1] = x1, x_[2] = x2, x_[3] = x3;
  count_ += n;
  p_ = in.p;
}

void RansStreamDecoder::finish() const {
  if (p_ != end_) throw Error(fmt::format("rANS stream has {} bytes left over after its symbols", end_ - p_));
  for (uint64_t x : x_)
    if (x != kRansL) throw Error("rANS stream is corrupt (final state check failed)");
}

}  // namespace tiny::entropy
