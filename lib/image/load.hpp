#pragma once
// The fused load pipeline: encoded bytes -> decode (reduced JPEG IDCT scale) -> resize + crop in one
// resampling pass -> optional flip -> 8-bit image, or float32 CHW normalized in the same pass.
//
// Geometry follows torchvision: Resize(size) scales the shortest side to `size` (the other side is
// truncated, as int(size * long / short)); Resize((h, w)) scales to exactly h x w. CenterCrop's
// offset is round((resized - crop) / 2); RandomCrop draws the offset uniformly from a generator
// seeded by LoadSpec::seed. The crop window is mapped back to the decoded image and only it is
// sampled, at the positions a resize of the whole image would use (area resizes whole, then crops).
// Images smaller than the crop are upscaled until they cover it (SmallImage::upscale) or padded
// with black around the centred image (SmallImage::pad, what torchvision's CenterCrop does).
#include "core/file_io.hpp"
#include "image/image.hpp"

#include <cstdint>
#include <string>

namespace tiny::image {

enum class Filter { nearest, bilinear, bicubic, area, lanczos };
enum class CropMode { none, center, random };
enum class Normalize { zero_one, minus_one_one, imagenet, clip };
enum class SmallImage { upscale, pad };

struct LoadSpec {
  int resize = 0;                    // shortest side to this many pixels (0: no shortest-side resize)
  int resize_width = 0, resize_height = 0;  // exact size instead (both > 0 to take effect)
  Filter filter = Filter::bilinear;
  CropMode crop = CropMode::none;
  int crop_width = 0, crop_height = 0;      // crop size (required unless crop is none)
  uint64_t seed = 0;                 // generator seed for CropMode::random
  bool flip = false;                 // mirror horizontally
  Normalize normalize = Normalize::imagenet;  // float output only
  SmallImage small = SmallImage::upscale;
  bool idct_scaling = true;          // decode JPEGs at the smallest IDCT scale that covers the target
  bool allow_truncated = false;      // load truncated JPEGs as far as they decode (flagged)
  uint64_t max_pixels = 256'000'000; // refuse larger images (decompression bombs)
};

struct TensorInfo {
  int width = 0, height = 0;  // output size (3 x height x width floats were written)
  bool truncated = false;     // the source was truncated and decoded as far as possible
};

// Output size of `spec` for a source of display size width x height.
void output_size(const LoadSpec& spec, int width, int height, int& out_width, int& out_height);
// Width x height every image gets under `spec`, or 0 x 0 when it depends on the source size.
void fixed_output_size(const LoadSpec& spec, int& out_width, int& out_height);
// Throws UsageError if `spec` is inconsistent (negative sizes, crop mode without crop size, ...).
void validate(const LoadSpec& spec);

// Loads encoded bytes to an 8-bit RGB image resized, cropped and flipped as `spec` says.
Image load_image(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec);
// Reads and loads an image file.
Image load_image(const std::string& path, const LoadSpec& spec);
// Loads encoded bytes into `out` as normalized float32 CHW; `out` must hold 3 * output size floats.
TensorInfo load_tensor(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec,
                       float* out);
// Reads a file and loads it into `out` as normalized float32 CHW.
TensorInfo load_tensor(const std::string& path, const LoadSpec& spec, float* out);
// Writes an 8-bit RGB image into `out` (3 x height x width floats) normalized as `preset` says.
void to_chw(const Image& image, Normalize preset, float* out);

}  // namespace tiny::image
