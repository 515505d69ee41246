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
  TINY_DCHECK(s >= 0 && s <= t.tail);
  put_symbol(x, tables.enc(size_t(index))[s], out);
}

// Bit 31 of the first state's high word (never set in a state below 2^63): the stream has 8 states.
constexpr uint32_t kWideMarker = 1u << 31;

}  // namespace

int rans_lanes(size_t n) { return n >= kWideStreamSymbols ? 8 : 4; }

int rans_stream_lanes(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  return (data[7] & (kWideMarker >> 24)) ? 8 : 4;
}

std::vector<uint8_t> rans_encode(const int32_t* symbols, const int32_t* indexes, size_t n, const RansTables& tables,
                                 int lanes) {
  if (lanes != 4 && lanes != 8) throw Error(fmt::format("rANS: {} interleaved states (4 or 8 supported)", lanes));
  if (n == 0) return {};
  for (size_t i = 0; i < n; ++i) check_index(indexes[i], tables);
  // At most one word per symbol and per bypass chunk; escapes are rare, so grow on demand.
  std::vector<uint32_t> words(n + 2 * kRansMaxLanes + 64);
  uint32_t* out = words.data();
  uint64_t x[kRansMaxLanes];
  std::fill(x, x + kRansMaxLanes, kRansL);
  const size_t slack = kMaxBypassChunks + 2;
  const size_t lane_mask = size_t(lanes) - 1;
  for (size_t i = n; i-- > 0;) {
    if (size_t(out - words.data()) + slack + 2 * kRansMaxLanes > words.size()) {
      size_t used = size_t(out - words.data());
      words.resize(words.size() * 2);
      out = words.data() + used;
    }
    encode_one(x[i & lane_mask], symbols[i], indexes[i], tables, out);
  }
  for (int k = lanes; k-- > 0;) {
    *out++ = uint32_t(x[k] >> 32) | (k == 0 && lanes == 8 ? kWideMarker : 0);
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
  return rans_encode(symbols.data(), indexes.data(), symbols.size(), tables, rans_lanes(symbols.size()));
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
    const size_t n = b[s + 1] - b[s];
    streams[s] = rans_encode(symbols.data() + b[s], indexes.data() + b[s], n, tables, rans_lanes(n));
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
  std::fill(x_, x_ + kRansMaxLanes, kRansL);
  if (empty_) return;
  lanes_ = std::max(4, rans_stream_lanes(data, size));
  if (size % 4 != 0 || size < 8 * size_t(lanes_))
    throw Error(fmt::format("rANS stream of {} bytes is truncated or corrupt", size));
  WordReader in{p_, end_};
  for (int k = 0; k < lanes_; ++k) {
    uint64_t lo = in.next(), hi = in.next() & (k == 0 ? ~kWideMarker : ~0u);
    x_[k] = (hi << 32) | lo;
    if (x_[k] < kRansL || x_[k] >= (kRansL << 32)) throw Error("rANS stream is corrupt (bad initial state)");
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
  if (lanes_ == 8)
    decode_lanes<8>(indexes, n, out);
  else
    decode_lanes<4>(indexes, n, out);
}

template <int Lanes>
void RansStreamDecoder::decode_lanes(const int32_t* indexes, size_t n, int32_t* out) {
  WordReader in{p_, end_};
  uint64_t x[Lanes];
  std::copy(x_, x_ + Lanes, x);
  auto step = [&](uint64_t& x, size_t i) {
    size_t index = size_t(indexes[i]);
    const RansTable& t = tables_.table(index);
    int s = get_symbol(x, tables_.lookup(index), tables_.cdf(index), in);
    out[i] = s == t.tail ? get_escaped(x, t, in) : s + t.offset;
  };
  size_t i = 0;
  for (; i < n && (count_ + i) % Lanes != 0; ++i) step(x[(count_ + i) % Lanes], i);
  // One symbol per state and round: the states' dependency chains overlap in the CPU.
  for (; i + Lanes <= n; i += Lanes) {
#pragma GCC unroll 8
    for (int k = 0; k < Lanes; ++k) step(x[k], i + size_t(k));
  }
  for (; i < n; ++i) step(x[(count_ + i) % Lanes], i);
  std::copy(x, x + Lanes, x_);
  count_ += n;
  p_ = in.p;
}

void RansStreamDecoder::finish() const {
  if (p_ != end_) throw Error(fmt::format("rANS stream has {} bytes left over after its symbols", end_ - p_));
  for (int k = 0; k < lanes_; ++k)
    if (x_[k] != kRansL) throw Error("rANS stream is corrupt (final state check failed)");
}

}  // namespace tiny::entropy
