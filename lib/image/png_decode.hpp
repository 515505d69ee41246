#pragma once
// PNG decoding on libpng with its messages kept: a corrupt or truncated file becomes one Error
// naming it, with no "libpng error:" line on stderr (OpenCV's decoder prints them).
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace tiny::image {

// Decodes a PNG to a BGR or BGRA matrix (8 or 16 bits per channel; palettes and low bit depths
// expanded, grey made BGR, a tRNS chunk made alpha). Throws Error naming `origin` if it is corrupt.
cv::Mat decode_png(const uint8_t* data, size_t size, const std::string& origin);

}  // namespace tiny::image
