#pragma once
// Decoding any supported image (JPEG, PNG, WebP, BMP, TIFF, PNM) to 8-bit RGB.
//
// Conversions: gray is replicated to RGB; 16-bit channels are scaled to 8 bits (v * 255 / 65535,
// rounded); alpha is dropped (as PIL's convert("RGB") does) or composited over white; CMYK JPEGs
// are converted by the decoder. EXIF orientation is applied unless turned off.
#include "core/file_io.hpp"
#include "image/image.hpp"
#include "image/probe.hpp"

#include <cstdint>
#include <string>

namespace tiny::image {

enum class Alpha { drop, white };

struct DecodeOptions {
  uint64_t max_pixels = 256'000'000;  // refuse larger images (decompression bombs) before decoding
  int min_width = 0, min_height = 0;  // JPEG only: decode at the smallest IDCT scale (1/8, 1/4, 1/2)
                                      // that still gives at least this size; 0 = full size
  bool apply_orientation = true;      // turn the image upright according to EXIF
  bool allow_truncated = false;       // return what a truncated JPEG decodes to (Image::truncated)
  Alpha alpha = Alpha::drop;
};

// Decodes an encoded image held in memory; `origin` names it in error messages.
Image decode_image(const uint8_t* data, size_t size, const std::string& origin, const DecodeOptions& options = {});
// Decodes an encoded image held in a byte vector.
Image decode_image(const Bytes& bytes, const std::string& origin, const DecodeOptions& options = {});
// Reads and decodes an image file ("-" reads stdin).
Image read_image(const std::string& path, const DecodeOptions& options = {});
// Throws Error naming `origin` before any pixel is allocated if the probed size is above
// options.max_pixels, or if `size` bytes of PNG or (Huffman-coded) JPEG data cannot hold that many
// pixels: deflate shrinks at most 1032:1, and every 8x8 luma block of a JPEG takes at least one bit.
void check_decode_limits(const ImageInfo& info, size_t size, const DecodeOptions& options, const std::string& origin);

}  // namespace tiny::image
