#include "fuzz_tic_entry.hpp"

#include "core/error.hpp"
#include "entropy/container.hpp"
#include "entropy/model_cdfs.hpp"
#include "entropy/rans.hpp"

#include <algorithm>

namespace tiny::fuzz {
namespace {

const entropy::RansTables& tables() {
  static const entropy::RansTables t(entropy::gaussian_cdfs({0.11f, 1.0f, 7.5f, 256.0f}));
  return t;
}

// Symbols to decode for a latent shape: the product of its sizes, capped to keep runs short.
size_t symbol_count(const std::vector<uint32_t>& shape) {
  size_t n = 1;
  for (uint32_t d : shape) n = std::min<size_t>(n * std::max<uint32_t>(d, 1), 1u << 16);
  return n;
}

void decode_stream(const uint8_t* data, size_t size, size_t n) {
  std::vector<int32_t> indexes(n), out(n);
  for (size_t i = 0; i < n; ++i) indexes[i] = int32_t(i % tables().size());
  try {
    entropy::rans_decode(data, size, indexes.data(), n, tables(), out.data());
  } catch (const Error&) {
  }
}

}  // namespace

void fuzz_tic_one(const uint8_t* data, size_t size) {
  Bytes bytes(data, data + size);
  try {
    entropy::TicFile tic = entropy::read_tic(bytes, "fuzz.tic");
    size_t n = tic.latent_shapes.empty() ? 16 : symbol_count(tic.latent_shapes[0]);
    for (const auto& s : tic.substreams) decode_stream(s.data(), s.size(), n);
  } catch (const Error&) {
  }
  // The raw bytes as a stream, one symbol at a time, with tables chosen from the previous values.
  try {
    entropy::RansStreamDecoder dec(data, size, tables());
    int32_t prev = 0;
    for (size_t i = 0; i < size; ++i) prev = dec.next(int32_t(uint32_t(prev) % tables().size()));
    dec.finish();
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
