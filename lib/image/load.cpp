#include "image/load.hpp"

#include "core/error.hpp"
#include "image/decode.hpp"
#include "image/probe.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace tiny::image {
namespace {

// Where the output comes from: the resized size, and the crop window in resized coordinates
// (left/top may be negative and the window may overhang when padding).
struct Geometry {
  int resized_w = 0, resized_h = 0;
  int crop_w = 0, crop_h = 0;
  int left = 0, top = 0;
};

int cv_interpolation(Filter f) {
  switch (f) {
    case Filter::nearest: return cv::INTER_NEAREST;
    case Filter::bilinear: return cv::INTER_LINEAR;
    case Filter::bicubic: return cv::INTER_CUBIC;
    case Filter::area: return cv::INTER_AREA;
    case Filter::lanczos: return cv::INTER_LANCZOS4;
  }
  return cv::INTER_LINEAR;
}

// Offset of a crop of `crop` pixels in a side of `side` pixels.
int crop_offset(const LoadSpec& spec, int side, int crop, std::mt19937_64& rng) {
  if (side < crop) return -((crop - side) / 2);  // padding: centre the image
  if (spec.crop == CropMode::random) return std::uniform_int_distribution<int>(0, side - crop)(rng);
  return static_cast<int>(std::nearbyint((side - crop) / 2.0));  // Python's round(): half to even
}

Geometry geometry(const LoadSpec& spec, int width, int height) {
  Geometry g;
  g.resized_w = width;
  g.resized_h = height;
  if (spec.resize_width > 0 && spec.resize_height > 0) {
    g.resized_w = spec.resize_width;
    g.resized_h = spec.resize_height;
  } else if (spec.resize > 0) {
    bool wide = width >= height;
    int shorter = wide ? height : width, longer = wide ? width : height;
    int new_long = static_cast<int>(static_cast<int64_t>(spec.resize) * longer / shorter);
    g.resized_w = wide ? new_long : spec.resize;
    g.resized_h = wide ? spec.resize : new_long;
  }
  g.resized_w = std::max(g.resized_w, 1);
  g.resized_h = std::max(g.resized_h, 1);
  if (spec.crop == CropMode::none) {
    g.crop_w = g.resized_w;
    g.crop_h = g.resized_h;
    return g;
  }
  g.crop_w = spec.crop_width;
  g.crop_h = spec.crop_height;
  if (spec.small == SmallImage::upscale && (g.resized_w < g.crop_w || g.resized_h < g.crop_h)) {
    double f = std::max(double(g.crop_w) / g.resized_w, double(g.crop_h) / g.resized_h);
    g.resized_w = std::max(g.crop_w, static_cast<int>(std::ceil(g.resized_w * f - 1e-9)));
    g.resized_h = std::max(g.crop_h, static_cast<int>(std::ceil(g.resized_h * f - 1e-9)));
  }
  std::mt19937_64 rng(spec.seed);
  g.left = crop_offset(spec, g.resized_w, g.crop_w, rng);
  g.top = crop_offset(spec, g.resized_h, g.crop_h, rng);
  return g;
}

// Decodes, resizes and crops in one resampling pass; returns the unflipped RGB output.
cv::Mat resample(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec,
                 bool& truncated);

// resample() with OpenCV's exceptions turned into errors naming `origin`.
cv::Mat load_mat(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec,
                 bool& truncated) {
  try {
    return resample(data, size, origin, spec, truncated);
  } catch (const cv::Exception& e) {
    throw Error(file_error(origin, "cannot resize: " + e.err));
  }
}

cv::Mat resample(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec,
                 bool& truncated) {
  validate(spec);
  ImageInfo info = probe_image(data, size, origin);
  DecodeOptions options;
  options.max_pixels = spec.max_pixels;
  options.allow_truncated = spec.allow_truncated;
  check_decode_limits(info, size, options, origin);
  Geometry g = geometry(spec, info.display_width(), info.display_height());
  if (uint64_t(g.resized_w) * uint64_t(g.resized_h) > spec.max_pixels ||
      uint64_t(g.crop_w) * uint64_t(g.crop_h) > spec.max_pixels)
    throw Error(file_error(origin, "resizing to " + std::to_string(g.resized_w) + "x" + std::to_string(g.resized_h) +
                                       " would exceed the limit of " + std::to_string(spec.max_pixels) + " pixels"));
  if (spec.idct_scaling) {
    options.min_width = g.resized_w;
    options.min_height = g.resized_h;
  }
  Image img = decode_image(data, size, origin, options);
  truncated = img.truncated;
  cv::Mat src(img.height, img.width, CV_8UC3, img.pixels.data());

  int vl = std::max(g.left, 0), vr = std::min(g.left + g.crop_w, g.resized_w);
  int vt = std::max(g.top, 0), vb = std::min(g.top + g.crop_h, g.resized_h);
  cv::Mat out(g.crop_h, g.crop_w, CV_8UC3, cv::Scalar::all(0));
  cv::Mat dst = out(cv::Rect(vl - g.left, vt - g.top, vr - vl, vb - vt));
  bool whole = vl == 0 && vt == 0 && vr == g.resized_w && vb == g.resized_h;
  if (src.size() == cv::Size(g.resized_w, g.resized_h)) {
    src(cv::Rect(vl, vt, vr - vl, vb - vt)).copyTo(dst);
  } else if (whole) {
    cv::resize(src, dst, dst.size(), 0, 0, cv_interpolation(spec.filter));
  } else if (spec.filter == Filter::area) {
    // Area averaging is defined on the whole grid: resize it all, keep the window.
    cv::Mat resized;
    cv::resize(src, resized, cv::Size(g.resized_w, g.resized_h), 0, 0, cv::INTER_AREA);
    resized(cv::Rect(vl, vt, vr - vl, vb - vt)).copyTo(dst);
  } else {
    // Sample only the window, at the positions cv::resize would: src = (dst + 0.5) * scale - 0.5,
    // or floor(dst * scale) for nearest (warpAffine rounds, hence the -0.5).
    double sx = double(img.width) / g.resized_w, sy = double(img.height) / g.resized_h;
    bool nearest = spec.filter == Filter::nearest;
    double ox = nearest ? vl * sx - 0.5 : (vl + 0.5) * sx - 0.5, oy = nearest ? vt * sy - 0.5 : (vt + 0.5) * sy - 0.5;
    cv::Matx23d map(sx, 0, ox, 0, sy, oy);
    cv::warpAffine(src, dst, map, dst.size(), cv_interpolation(spec.filter) | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REPLICATE);
  }
  return out;
}

using Lut = std::array<std::array<float, 256>, 3>;

Lut make_lut(Normalize preset) {
  std::array<float, 3> mean{0, 0, 0}, std{1, 1, 1};
  switch (preset) {
    case Normalize::zero_one: break;
    case Normalize::minus_one_one: mean = {0.5f, 0.5f, 0.5f}; std = {0.5f, 0.5f, 0.5f}; break;
    case Normalize::imagenet: mean = {0.485f, 0.456f, 0.406f}; std = {0.229f, 0.224f, 0.225f}; break;
    case Normalize::clip:
      mean = {0.48145466f, 0.4578275f, 0.40821073f};
      std = {0.26862954f, 0.26130258f, 0.27577711f};
      break;
  }
  Lut lut;
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < 256; ++v) lut[c][v] = (static_cast<float>(v) / 255.0f - mean[c]) / std[c];
  return lut;
}

const Lut& lut_for(Normalize preset) {
  static const std::array<Lut, 4> luts = {make_lut(Normalize::zero_one), make_lut(Normalize::minus_one_one),
                                          make_lut(Normalize::imagenet), make_lut(Normalize::clip)};
  return luts[static_cast<size_t>(preset)];
}

// Writes interleaved RGB rows (`stride` bytes apart) as normalized CHW, mirrored if `flip`.
void write_chw(const uint8_t* pixels, size_t stride, int width, int height, Normalize preset, bool flip,
               float* out) {
  const Lut& lut = lut_for(preset);
  size_t plane = static_cast<size_t>(width) * height;
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = pixels + y * stride;
    float* r = out + static_cast<size_t>(y) * width;
    float* g = r + plane;
    float* b = g + plane;
    for (int x = 0; x < width; ++x) {
      const uint8_t* p = row + 3 * (flip ? width - 1 - x : x);
      r[x] = lut[0][p[0]];
      g[x] = lut[1][p[1]];
      b[x] = lut[2][p[2]];
    }
  }
}

}  // namespace

void validate(const LoadSpec& spec) {
  if (spec.resize < 0 || spec.resize_width < 0 || spec.resize_height < 0)
    throw UsageError("load: resize sizes must not be negative");
  if ((spec.resize_width > 0) != (spec.resize_height > 0))
    throw UsageError("load: an exact resize needs both resize_width and resize_height");
  if (spec.crop != CropMode::none && (spec.crop_width <= 0 || spec.crop_height <= 0))
    throw UsageError("load: a crop needs a positive crop_width and crop_height");
}

void output_size(const LoadSpec& spec, int width, int height, int& out_width, int& out_height) {
  Geometry g = geometry(spec, width, height);
  out_width = g.crop_w;
  out_height = g.crop_h;
}

void fixed_output_size(const LoadSpec& spec, int& out_width, int& out_height) {
  out_width = out_height = 0;
  if (spec.crop != CropMode::none) {
    out_width = spec.crop_width;
    out_height = spec.crop_height;
  } else if (spec.resize_width > 0 && spec.resize_height > 0) {
    out_width = spec.resize_width;
    out_height = spec.resize_height;
  }
}

Image load_image(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec) {
  Image img;
  cv::Mat m = load_mat(data, size, origin, spec, img.truncated);
  if (spec.flip) cv::flip(m, m, 1);
  img.width = m.cols;
  img.height = m.rows;
  img.pixels.assign(m.data, m.data + img.width * size_t(img.height) * 3);
  return img;
}

Image load_image(const std::string& path, const LoadSpec& spec) {
  Bytes bytes = read_file(path);
  return load_image(bytes.data(), bytes.size(), path, spec);
}

TensorInfo load_tensor(const uint8_t* data, size_t size, const std::string& origin, const LoadSpec& spec,
                       float* out) {
  TensorInfo info;
  cv::Mat m = load_mat(data, size, origin, spec, info.truncated);
  info.width = m.cols;
  info.height = m.rows;
  write_chw(m.data, m.step, m.cols, m.rows, spec.normalize, spec.flip, out);
  return info;
}

TensorInfo load_tensor(const std::string& path, const LoadSpec& spec, float* out) {
  Bytes bytes = read_file(path);
  return load_tensor(bytes.data(), bytes.size(), path, spec, out);
}

void to_chw(const Image& image, Normalize preset, float* out) {
  write_chw(image.pixels.data(), size_t(image.width) * 3, image.width, image.height, preset, false, out);
}

}  // namespace tiny::image
