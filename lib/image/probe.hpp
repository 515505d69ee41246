#pragma once
// Header-only image probing: format, size, channels, bit depth and EXIF orientation, read from
// the first bytes of a file without decoding any pixels.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tiny::image {

enum class Format { unknown, jpeg, png, webp, bmp, tiff, pnm };

struct ImageInfo {
  Format format = Format::unknown;
  int width = 0, height = 0;
  int channels = 0;     // stored channels: 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha (or CMYK)
  int bit_depth = 0;    // bits per channel: 8 or 16 (1..16 for PNG/PNM/BMP palettes)
  int orientation = 1;  // EXIF orientation 1..8 (1: as stored)
  bool arithmetic = false;  // JPEG: arithmetic-coded (SOF9..SOF15), which can take under a bit per block

  // Width and height after applying the EXIF orientation.
  int display_width() const { return orientation >= 5 ? height : width; }
  int display_height() const { return orientation >= 5 ? width : height; }
};

// Lower-case name of a format ("jpeg", "png", ...).
const char* format_name(Format f);
// Parses a format name or file extension ("jpg", "jpeg", ".png", "webp", ...); unknown if none.
Format format_from_name(const std::string& name_or_extension);
// Probes an image in memory; throws Error naming `origin` if the header is missing or corrupt.
ImageInfo probe_image(const uint8_t* data, size_t size, const std::string& origin);
// Probes a file, reading only as much of it as the header needs.
ImageInfo probe_file(const std::string& path);

}  // namespace tiny::image
