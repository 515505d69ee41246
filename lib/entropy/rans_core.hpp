#pragma once
// The rANS state steps shared by the encoder and the decoders (internal header).
//
// State x (64 bits) stays in [kRansL, kRansL << 32) between symbols; renormalisation moves one
// 32-bit word. A symbol of frequency f (out of 2^16) maps x -> (x / f) * 2^16 + x % f + start; a
// 4-bit bypass chunk maps x -> x * 16 + chunk. The encoder runs backwards over the symbols and the
// decoder forwards, so the encoder's word stack is read by the decoder front to back.
#include "core/check.hpp"
#include "core/error.hpp"
#include "entropy/rans_tables.hpp"

#include <cstring>

namespace tiny::entropy::detail {

constexpr uint64_t kRansL = uint64_t(1) << 31;
constexpr int kBypassBits = 4;
constexpr uint32_t kBypassMask = (1u << kBypassBits) - 1;
// A value minus its offset lies in [-2^32, 2^32], so its bypass code has at most 9 chunks.
constexpr uint32_t kMaxBypassChunks = 9;

// Encoder: pushes at most one word to `out` (growing upwards; reversed at the end).
inline void put_symbol(uint64_t& x, const EncSymbol& e, uint32_t*& out) {
  TINY_DCHECK(x >= kRansL && x < (kRansL << 32));
  TINY_DCHECK(e.freq > 0 && e.freq <= (1u << kCdfPrecision));  // a symbol of frequency 0 cannot be coded
  uint64_t x_max = uint64_t(e.freq) << (63 - kCdfPrecision);  // ((L >> 16) << 32) * freq
  if (x >= x_max) {
    *out++ = uint32_t(x);
    x >>= 32;
  }
  uint64_t q = uint64_t(((unsigned __int128)x * e.rcp_freq) >> 64) >> e.rcp_shift;
  x += e.bias + q * e.cmpl_freq;
  TINY_DCHECK(x >= kRansL && x < (kRansL << 32));
}

inline void put_bypass(uint64_t& x, uint32_t chunk, uint32_t*& out) {
  TINY_DCHECK(chunk <= kBypassMask);
  TINY_DCHECK(x >= kRansL && x < (kRansL << 32));
  if (x >= (uint64_t(1) << (63 - kBypassBits))) {
    *out++ = uint32_t(x);
    x >>= 32;
  }
  x = (x << kBypassBits) | chunk;
}

// Value of a symbol outside [offset, offset + tail) as its bypass number (zig-zag around the range).
inline uint64_t escape_raw(int64_t v, int32_t tail) {
  return v < 0 ? uint64_t(-2 * v - 1) : uint64_t(2 * (v - tail));
}

// Decoder's word source with bounds checks.
struct WordReader {
  const uint8_t* p;
  const uint8_t* end;
  uint32_t next() {
    if (p == end) throw Error("rANS stream is truncated or corrupt (read past its end)");
    uint32_t w;
    std::memcpy(&w, p, 4);
    p += 4;
    return w;
  }
};

// Whatever the stream's bytes, a state that starts in range stays in range: a DCHECK, not an input error.
inline void renorm(uint64_t& x, WordReader& in) {
  if (x < kRansL) x = (x << 32) | in.next();
  TINY_DCHECK(x >= kRansL && x < (kRansL << 32));
}

// Decodes one symbol of a table: returns the symbol index (the tail for escapes). The lookup gives
// the symbol at the start of the slot's bucket; the CDF walk finishes within the bucket.
inline int get_symbol(uint64_t& x, const uint16_t* lut, const uint32_t* cdf, WordReader& in) {
  uint32_t slot = uint32_t(x) & ((1u << kCdfPrecision) - 1);
  uint32_t s = lut[slot >> (kCdfPrecision - kLookupBits)];
  while (cdf[s + 1] <= slot) ++s;
  TINY_DCHECK(cdf[s] <= slot && cdf[s + 1] > cdf[s]);
  uint32_t start = cdf[s];
  x = uint64_t(cdf[s + 1] - start) * (x >> kCdfPrecision) + slot - start;
  renorm(x, in);
  return int(s);
}

inline uint32_t get_bypass(uint64_t& x, WordReader& in) {
  uint32_t chunk = uint32_t(x) & kBypassMask;
  x >>= kBypassBits;
  renorm(x, in);
  return chunk;
}

// Reads the bypass number after a tail symbol and returns the value it stands for.
[[gnu::noinline, gnu::cold]] inline int32_t get_escaped(uint64_t& x, const RansTable& t, WordReader& in) {
  uint32_t chunks = get_bypass(x, in);
  if (chunks > kMaxBypassChunks) throw Error("rANS stream is corrupt (bad escape length)");
  uint64_t raw = 0;
  for (uint32_t c = 0; c < chunks; ++c) raw |= uint64_t(get_bypass(x, in)) << (kBypassBits * c);
  int64_t v = (raw & 1) ? -int64_t((raw + 1) / 2) : int64_t(t.tail) + int64_t(raw / 2);
  int64_t value = v + t.offset;
  if (value < INT32_MIN || value > INT32_MAX) throw Error("rANS stream is corrupt (escaped value out of range)");
  return int32_t(value);
}

}  // namespace tiny::entropy::detail
