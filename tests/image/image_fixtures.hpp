#pragma once
// Hand-built image files for header and EXIF tests.
#include "core/file_io.hpp"

#include <cstdint>

namespace tiny::test {

// A PNG signature and IHDR chunk claiming the given size (no image data follows).
inline Bytes png_header(uint32_t width, uint32_t height, uint8_t depth = 8, uint8_t colour_type = 2) {
  Bytes b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (uint32_t v : {width, height})
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
  b.insert(b.end(), {depth, colour_type, 0, 0, 0, 0, 0, 0, 0});
  return b;
}

// Inserts an APP1 EXIF segment with the given orientation right after a JPEG's SOI marker.
inline Bytes with_exif_orientation(const Bytes& jpeg, uint16_t orientation) {
  Bytes tiff = {'M', 'M', 0, 42, 0, 0, 0, 8,        // big-endian TIFF header, IFD0 at 8
                0, 1,                               // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1,       // tag 0x0112 SHORT count 1
                uint8_t(orientation >> 8), uint8_t(orientation), 0, 0,
                0, 0, 0, 0};                        // no next IFD
  Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  size_t len = payload.size() + 2;
  Bytes out = {jpeg[0], jpeg[1], 0xFF, 0xE1, uint8_t(len >> 8), uint8_t(len)};
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

}  // namespace tiny::test
