#pragma once
// EXIF orientation: reading it from a TIFF-structured block and applying it to pixels.
#include "image/image.hpp"

#include <cstddef>
#include <cstdint>

namespace tiny::image {

// Fields read from the first IFD of a TIFF structure (an EXIF block or a TIFF file).
struct TiffFields {
  int width = 0, height = 0, samples = 0, bits = 0;
  int orientation = 1;
};

// Parses IFD0 of a TIFF structure ("II*\0" or "MM\0*"); throws detail::OutOfData if truncated.
TiffFields parse_tiff_ifd0(const uint8_t* data, size_t size);
// Reads the orientation from an EXIF payload (with or without the "Exif\0\0" prefix); 1 if absent.
int exif_orientation(const uint8_t* data, size_t size);
// Returns the image turned upright according to EXIF orientation 1..8.
Image apply_orientation(const Image& image, int orientation);

}  // namespace tiny::image
