#pragma once
// Turning downloaded bytes into a shard's image: probe, size and aspect filters, decode (which
// verifies the data and applies EXIF orientation), resize, and re-encode or keep the original bytes.
#include "core/file_io.hpp"
#include "dataset/view_hash.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::ingest {

// no: original size; keep_ratio: shorter side to `size`; center_crop: shorter side to `size`, then
// the centred size x size square; border: longer side to `size`, padded with black to size x size.
// With resize_only_if_bigger an image that already fits (shorter side, for border the longer side, at
// most `size`) is not scaled: keep_ratio keeps it as it is, center_crop takes its centred square of the
// shorter side, border pads it to size x size.
enum class ResizeMode { no, keep_ratio, center_crop, border };
enum class OutputFormat { jpg, png, webp, keep };

struct ProcessOptions {
  ResizeMode resize = ResizeMode::keep_ratio;
  int size = 256;
  int min_size = 0;         // images whose shorter side is smaller fail with "too_small"
  double max_aspect = 0;    // images with longer/shorter side above fail with "aspect" (0: any)
  uint64_t max_area = 0;    // images of more pixels (width x height) fail with "area" (0: any)
  bool resize_only_if_bigger = false;  // never upscale: an image already within the target keeps its size
  OutputFormat format = OutputFormat::jpg;
  int quality = 95;         // jpg and webp
  uint64_t max_pixels = 256'000'000;  // larger images fail with "decode" before decoding
  bool phash = false;       // compute the 64-bit pHash of the output image
  bool signature = false;   // compute the near-duplicate signature of the source (dataset::encoded_signature, as filter-dataset)
  bool mirror = false;      // the signature also holds the mirrored views
};

// A processed image, or why there is none.
struct Processed {
  std::string reason, error;   // "" on success; else "decode", "too_small", "aspect" or "area" and a description
  Bytes bytes;                 // the image member's bytes
  std::string extension;       // "jpg", "png", "webp" (or the original format's for keep)
  int original_width = 0, original_height = 0, width = 0, height = 0;
  uint64_t phash = 0;          // when ProcessOptions::phash
  dataset::Signature signature;  // when ProcessOptions::signature
  double decode_seconds = 0, encode_seconds = 0;  // decode + resize, and encode
};

// Parses "no", "keep_ratio", "center_crop" or "border"; throws UsageError otherwise.
ResizeMode resize_mode_from_name(const std::string& name);
// Parses "jpg" (or "jpeg"), "png", "webp" or "keep"; throws UsageError otherwise.
OutputFormat output_format_from_name(const std::string& name);
// Throws UsageError if the options are inconsistent (keep with a resize, bad size or quality).
void validate(const ProcessOptions& options);
// Processes one encoded image; never throws for bad image data (it is a per-sample failure).
Processed process_image(const Bytes& data, const std::string& origin, const ProcessOptions& options);

}  // namespace tiny::ingest
