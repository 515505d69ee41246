#include "ingest/process.hpp"

#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "dataset/perceptual_hash.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace tiny::ingest {
namespace {

// Pads an image to size x size with black, centred.
image::Image pad_square(const image::Image& img, int size) {
  image::Image out = image::Image::blank(size, size);
  int x0 = (size - img.width) / 2, y0 = (size - img.height) / 2;
  for (int y = 0; y < img.height; ++y) std::memcpy(out.at(x0, y0 + y), img.at(0, y), size_t(img.width) * 3);
  return out;
}

image::Image resized(const Bytes& data, const std::string& origin, const image::ImageInfo& info,
                     const ProcessOptions& o) {
  image::LoadSpec spec;
  spec.filter = image::Filter::area;
  spec.max_pixels = o.max_pixels;
  int w = info.display_width(), h = info.display_height();
  const bool fits = (o.resize == ResizeMode::border ? std::max(w, h) : std::min(w, h)) <= o.size;
  const int side = o.resize_only_if_bigger && fits ? std::min(w, h) : o.size;  // the shorter side wanted
  switch (o.resize) {
    case ResizeMode::no: {
      image::DecodeOptions d;
      d.max_pixels = o.max_pixels;
      if (o.format == OutputFormat::keep) d.min_width = d.min_height = o.phash ? dataset::hash_input_side(dataset::HashKind::phash) : 1;
      return image::decode_image(data, origin, d);
    }
    case ResizeMode::keep_ratio: spec.resize = side; break;
    case ResizeMode::center_crop:
      spec.resize = side;
      spec.crop = image::CropMode::center;
      spec.crop_width = spec.crop_height = side;
      break;
    case ResizeMode::border: {
      bool wide = w >= h;
      const int longer = o.resize_only_if_bigger && fits ? std::max(w, h) : o.size;
      spec.resize_width = wide ? longer : std::max(1, int(int64_t(w) * longer / h));
      spec.resize_height = wide ? std::max(1, int(int64_t(h) * longer / w)) : longer;
      return pad_square(image::load_image(data.data(), data.size(), origin, spec), o.size);
    }
  }
  return image::load_image(data.data(), data.size(), origin, spec);
}

}  // namespace

ResizeMode resize_mode_from_name(const std::string& name) {
  if (name == "no") return ResizeMode::no;
  if (name == "keep_ratio") return ResizeMode::keep_ratio;
  if (name == "center_crop") return ResizeMode::center_crop;
  if (name == "border") return ResizeMode::border;
  throw UsageError(fmt::format("unknown resize mode '{}' (expected no, keep_ratio, center_crop or border)", name));
}

OutputFormat output_format_from_name(const std::string& name) {
  if (name == "jpg" || name == "jpeg") return OutputFormat::jpg;
  if (name == "png") return OutputFormat::png;
  if (name == "webp") return OutputFormat::webp;
  if (name == "keep") return OutputFormat::keep;
  throw UsageError(fmt::format("unknown output format '{}' (expected jpg, png, webp or keep)", name));
}

void validate(const ProcessOptions& o) {
  if (o.format == OutputFormat::keep && o.resize != ResizeMode::no)
    throw UsageError("--format keep stores the original bytes and needs --resize-mode no");
  if (o.resize != ResizeMode::no && (o.size < 1 || o.size > 16384))
    throw UsageError(fmt::format("--size {} is out of range (1..16384)", o.size));
  if (o.quality < 1 || o.quality > 100) throw UsageError(fmt::format("--quality {} is out of range (1..100)", o.quality));
  if (o.min_size < 0 || o.max_aspect < 0) throw UsageError("--min-size and --max-aspect must not be negative");
}

Processed process_image(const Bytes& data, const std::string& origin, const ProcessOptions& o) {
  Processed p;
  Stopwatch t0;
  try {
    image::ImageInfo info = image::probe_image(data.data(), data.size(), origin);
    p.original_width = info.display_width();
    p.original_height = info.display_height();
    int lo = std::min(p.original_width, p.original_height), hi = std::max(p.original_width, p.original_height);
    if (lo < o.min_size) {
      p.reason = "too_small";
      p.error = fmt::format("{}x{} is below the minimum size {}", p.original_width, p.original_height, o.min_size);
      return p;
    }
    const uint64_t area = uint64_t(p.original_width) * uint64_t(p.original_height);
    if (o.max_area > 0 && area > o.max_area) {
      p.reason = "area";
      p.error = fmt::format("{}x{} has {} pixels, above --max-area {}", p.original_width, p.original_height, area,
                            o.max_area);
      return p;
    }
    if (o.max_aspect > 0 && lo > 0 && double(hi) / lo > o.max_aspect) {
      p.reason = "aspect";
      p.error = fmt::format("aspect ratio {:.2f} is above {:.2f}", double(hi) / lo, o.max_aspect);
      return p;
    }
    image::Image img = resized(data, origin, info, o);
    if (o.phash) p.phash = dataset::dct_hash(img).words[0];
    if (o.signature) p.signature = dataset::encoded_signature(data, origin, o.mirror);
    p.decode_seconds = t0.seconds();
    Stopwatch t1;
    if (o.format == OutputFormat::keep) {
      p.bytes = data;
      p.extension = info.format == image::Format::jpeg ? "jpg" : image::format_name(info.format);
      p.width = p.original_width;
      p.height = p.original_height;
    } else {
      image::EncodeOptions e;
      e.quality = o.quality;
      image::Format f = o.format == OutputFormat::jpg ? image::Format::jpeg
                        : o.format == OutputFormat::png ? image::Format::png
                                                        : image::Format::webp;
      p.bytes = image::encode_image(img, f, e);
      p.extension = o.format == OutputFormat::jpg ? "jpg" : o.format == OutputFormat::png ? "png" : "webp";
      p.width = img.width;
      p.height = img.height;
    }
    p.encode_seconds = t1.seconds();
  } catch (const Error& e) {
    p = Processed();
    p.reason = "decode";
    p.error = e.what();
  }
  return p;
}

}  // namespace tiny::ingest
