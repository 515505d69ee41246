#include "scorer/preprocess.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::scorer {
namespace {

// The three per-channel values of `values` (one value stands for all three).
std::array<double, 3> per_channel(const std::vector<double>& values, const char* name) {
  if (values.size() == 1) return {values[0], values[0], values[0]};
  if (values.size() != 3) throw UsageError(fmt::format("scorer {} takes 1 or 3 values, got {}", name, values.size()));
  return {values[0], values[1], values[2]};
}

}  // namespace

Preprocess make_preprocess(const ScorerOptions& o) {
  if (o.size <= 0) throw UsageError(fmt::format("scorer input size must be positive, got {}", o.size));
  if (o.batch <= 0) throw UsageError(fmt::format("scorer batch must be positive, got {}", o.batch));
  if (!(o.range > 0)) throw UsageError(fmt::format("scorer range must be positive, got {}", o.range));
  if (o.channels != "rgb" && o.channels != "bgr")
    throw UsageError("unknown scorer channel order '" + o.channels + "' (choose rgb or bgr)");
  Preprocess p;
  p.size = o.size;
  p.bgr = o.channels == "bgr";
  if (o.resize == "center-crop") {
    p.load.resize = o.size;
    p.load.crop = image::CropMode::center;
    p.load.crop_width = p.load.crop_height = o.size;
  } else if (o.resize == "stretch") {
    p.load.resize_width = p.load.resize_height = o.size;
  } else {
    throw UsageError("unknown scorer resize mode '" + o.resize + "' (choose center-crop or stretch)");
  }
  std::array<double, 3> mean = per_channel(o.mean, "mean"), std = per_channel(o.std, "std");
  for (int c = 0; c < 3; ++c) {
    if (!(std[c] > 0)) throw UsageError(fmt::format("scorer std values must be positive, got {}", std[c]));
    p.scale[c] = float(o.range / (255.0 * std[c]));
    p.offset[c] = float(-mean[c] / std[c]);
  }
  return p;
}

void preprocess(const Bytes& bytes, const std::string& origin, const Preprocess& p, float* out) {
  image::Image img = image::load_image(bytes.data(), bytes.size(), origin, p.load);
  if (img.width != p.size || img.height != p.size)
    throw Error(file_error(origin, fmt::format("loaded as {}x{}, not {}x{}", img.width, img.height, p.size, p.size)));
  const size_t plane = size_t(p.size) * size_t(p.size);
  for (int c = 0; c < 3; ++c) {
    const int from = p.bgr ? 2 - c : c;
    float* dst = out + size_t(c) * plane;
    for (size_t i = 0; i < plane; ++i) dst[i] = float(img.pixels[3 * i + from]) * p.scale[c] + p.offset[c];
  }
}

}  // namespace tiny::scorer
