#pragma once
// A fast 64-bit content hash of bytes, for exact-duplicate detection (not cryptographic).
#include <cstddef>
#include <cstdint>

namespace tiny::dataset {

// 64-bit hash of `size` bytes: 8-byte words mixed with multiply-xorshift, length folded in.
uint64_t content_hash(const uint8_t* data, size_t size);

}  // namespace tiny::dataset
