#pragma once
// rANS coder with 64-bit states, 32-bit renormalisation words and 16-bit CDFs (CompressAI's family),
// coding each symbol with its own table ("encode with indexes"). Values outside a table's range are
// coded as its tail symbol followed by 4-bit bypass chunks, so every int32 round-trips.
//
// Stream layout: L = 4 or 8 interleaved states (symbol i uses state i mod L), written as 2 * L
// little-endian 32-bit words (low word first; bit 31 of the first state's high word, always 0 in a
// state, is set when L = 8), then the renormalisation words in decoding order. An empty symbol
// sequence gives an empty stream.
#include "entropy/rans_tables.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiny::entropy {

constexpr int kRansMaxLanes = 8;
// Symbols from which a stream gets 8 states rather than 4: more independent work per round decodes
// ~10% faster, at 32 more bytes of final states (negligible from here on).
constexpr size_t kWideStreamSymbols = size_t(1) << 20;

// The interleaved states rans_encode gives a stream of n symbols: 8 from kWideStreamSymbols on, else 4.
int rans_lanes(size_t n);

// The interleaved states of an encoded stream, from its first state's marker: 8 or 4 (0 if empty).
int rans_stream_lanes(const uint8_t* data, size_t size);

// Encodes symbols[i] with table indexes[i] on rans_lanes(n) states; throws tiny::Error on a bad
// index or size mismatch.
std::vector<uint8_t> rans_encode(const std::vector<int32_t>& symbols, const std::vector<int32_t>& indexes,
                                 const RansTables& tables);
// The same with a chosen number of states, 4 or 8 (the decoder reads it from the stream).
std::vector<uint8_t> rans_encode(const int32_t* symbols, const int32_t* indexes, size_t n, const RansTables& tables,
                                 int lanes);

// Decodes indexes.size() symbols; throws tiny::Error if the stream is truncated, corrupt or has
// bytes left over.
std::vector<int32_t> rans_decode(const std::vector<uint8_t>& stream, const std::vector<int32_t>& indexes,
                                 const RansTables& tables);
void rans_decode(const uint8_t* data, size_t size, const int32_t* indexes, size_t n, const RansTables& tables,
                 int32_t* out);

// Splits n symbols into `count` contiguous runs of near-equal length (the first n % count runs one
// longer); returns count + 1 boundaries. The split depends only on n and count.
std::vector<size_t> substream_bounds(size_t n, size_t count);

// Encodes each run of substream_bounds(n, count) as an independent stream, in parallel on tiny's
// thread pool; the bytes do not depend on the thread count.
std::vector<std::vector<uint8_t>> rans_encode_substreams(const std::vector<int32_t>& symbols,
                                                         const std::vector<int32_t>& indexes,
                                                         const RansTables& tables, size_t count);
// Decodes streams made by rans_encode_substreams (count = streams.size()), in parallel.
std::vector<int32_t> rans_decode_substreams(const std::vector<std::vector<uint8_t>>& streams,
                                            const std::vector<int32_t>& indexes, const RansTables& tables);

// Decodes one symbol at a time, each with a table chosen after the previous symbols (for
// autoregressive models). Reads the same streams as rans_decode.
class RansStreamDecoder {
public:
  // Starts decoding `size` bytes at `data` (which must outlive the decoder); `tables` likewise.
  RansStreamDecoder(const uint8_t* data, size_t size, const RansTables& tables);
  // Decodes the next symbol with table `index`; throws tiny::Error on a bad index or corrupt stream.
  int32_t next(int32_t index);
  // Checks that the stream ended exactly here (all words read, states back at their start).
  void finish() const;

private:
  friend void rans_decode(const uint8_t*, size_t, const int32_t*, size_t, const RansTables&, int32_t*);
  // Decodes n symbols with already validated table indexes.
  void decode_checked(const int32_t* indexes, size_t n, int32_t* out);
  template <int Lanes>
  void decode_lanes(const int32_t* indexes, size_t n, int32_t* out);

  const RansTables& tables_;
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t x_[kRansMaxLanes];
  int lanes_ = 4;
  size_t count_ = 0;
  bool empty_;
};

}  // namespace tiny::entropy
