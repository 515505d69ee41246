#include "dataset/content_hash.hpp"

#include <cstring>

namespace tiny::dataset {
namespace {

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xBF58476D1CE4E5B9ull;

uint64_t mix(uint64_t x) {
  x ^= x >> 31;
  x *= kMul2;
  x ^= x >> 29;
  return x;
}

}  // namespace

uint64_t content_hash(const uint8_t* data, size_t size) {
  uint64_t lanes[4] = {kMul1, kMul2, ~kMul1, ~kMul2};
  size_t i = 0;
  for (; i + 32 <= size; i += 32)
    for (int l = 0; l < 4; ++l) {
      uint64_t w;
      std::memcpy(&w, data + i + 8 * l, 8);
      lanes[l] = (lanes[l] ^ w) * kMul1;
      lanes[l] ^= lanes[l] >> 32;
    }
  uint64_t h = size * kMul2;
  for (int l = 0; l < 4; ++l) h = mix(h ^ lanes[l]) * kMul1;
  for (; i < size; ++i) h = (h ^ data[i]) * kMul1;
  return mix(h);
}

}  // namespace tiny::dataset
