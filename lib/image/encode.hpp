#pragma once
// Encoding 8-bit RGB images to PNG (libpng), JPEG (libjpeg-turbo), WebP and others (OpenCV).
#include "core/file_io.hpp"
#include "image/image.hpp"
#include "image/probe.hpp"

#include <string>

namespace tiny::image {

enum class Chroma { s420, s444 };

// PNG row filters: libpng's choice per row (smallest files), or Up on every row (about twice as fast,
// files a few percent larger).
enum class PngFilter { adaptive, up };

struct EncodeOptions {
  int quality = 90;              // JPEG/WebP quality 1..100 (WebP 101 = lossless); ignored for PNG
  bool webp_lossless = false;    // WebP: lossless whatever the quality (which then only applies to JPEG)
  Chroma chroma = Chroma::s420;  // JPEG chroma subsampling
  int png_compression = 3;       // zlib level 0..9
  PngFilter png_filter = PngFilter::adaptive;
};

// Encodes an image in the given format (png, jpeg, webp, bmp, tiff, pnm).
Bytes encode_image(const Image& image, Format format, const EncodeOptions& options = {});
// The format an output path's extension names, in any case: .png, .ppm, .jpg/.jpeg or .webp ("-": PNG).
// Throws UsageError naming the path, its extension and the supported ones for any other.
Format output_format(const std::string& path);
// Encodes in the format output_format(path) names and writes atomically ("-" writes PNG to stdout).
void write_image(const std::string& path, const Image& image, bool overwrite, const EncodeOptions& options = {});

}  // namespace tiny::image
