#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and PNG use it).
#include <cstddef>
#include <cstdint>

namespace tiny::entropy {

// CRC-32 of `size` bytes; pass a previous result as `crc` to continue over more data.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace tiny::entropy
