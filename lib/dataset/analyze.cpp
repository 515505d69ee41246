#include "dataset/analyze.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "dataset/content_hash.hpp"
#include "image/decode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sys/stat.h>

namespace tiny::dataset {
namespace {

image::Image shorter_side(const image::Image& img, int side) {
  int s = std::min(img.width, img.height);
  if (s <= side) return img;
  double f = double(side) / s;
  image::Image out = image::Image::blank(std::max(1, int(img.width * f + 0.5)), std::max(1, int(img.height * f + 0.5)));
  cv::Mat src(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat dst(out.height, out.width, CV_8UC3, out.pixels.data());
  cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

// Size and times of a source; a tar member's come from the index: its size, its tar header time,
// and (as the cache's stamp) the shard's modification time. Throws for zero-byte and special files.
void stamp_source(const SourceFile& file, FileRecord& r) {
  if (const auto& m = file.member) {
    r.size = m->size;
    r.mtime = m->mtime;
    r.mtime_ns = m->shard_mtime_ns;
  } else {
    struct stat st {};
    if (::lstat(file.path.c_str(), &st) != 0) throw Error(file_error(file.path, errno_text()));
    if (!S_ISREG(st.st_mode)) throw Error(file_error(file.path, "not a regular file"));
    r.size = uint64_t(st.st_size);
    r.mtime = int64_t(st.st_mtime);
    r.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  }
  if (r.size == 0) throw Error(file_error(file.path, "zero-byte file"));
}

}  // namespace

bool Filters::needs_quality() const {
  return min_sharpness > 0 || min_brightness > 0 || max_brightness > 0 || min_contrast > 0 || min_colourfulness > 0;
}

std::string Filters::check_header(const image::ImageInfo& info) const {
  int w = info.display_width(), h = info.display_height();
  int lo = std::min(w, h), hi = std::max(w, h);
  if (!formats.empty() && std::find(formats.begin(), formats.end(), info.format) == formats.end())
    return std::string("format ") + image::format_name(info.format) + " not allowed";
  if (min_side > 0 && lo < min_side) return fmt::format("shorter side {} < {}", lo, min_side);
  if (max_side > 0 && hi > max_side) return fmt::format("longer side {} > {}", hi, max_side);
  if (min_pixels > 0 && uint64_t(w) * uint64_t(h) < min_pixels)
    return fmt::format("{} pixels < {}", uint64_t(w) * uint64_t(h), min_pixels);
  if (max_aspect > 0 && double(hi) > max_aspect * lo) return fmt::format("aspect {:.2f} > {}", double(hi) / lo, max_aspect);
  return "";
}

std::string Filters::check_quality(const QualityScores& q) const {
  if (min_sharpness > 0 && q.sharpness < min_sharpness)
    return fmt::format("blurry: sharpness {:.1f} < {}", q.sharpness, min_sharpness);
  if (min_brightness > 0 && q.brightness < min_brightness)
    return fmt::format("too dark: brightness {:.1f} < {}", q.brightness, min_brightness);
  if (max_brightness > 0 && q.brightness > max_brightness)
    return fmt::format("too bright: brightness {:.1f} > {}", q.brightness, max_brightness);
  if (min_contrast > 0 && q.contrast < min_contrast)
    return fmt::format("low contrast: {:.1f} < {}", q.contrast, min_contrast);
  if (min_colourfulness > 0 && q.colourfulness < min_colourfulness)
    return fmt::format("dull colours: colourfulness {:.1f} < {}", q.colourfulness, min_colourfulness);
  return "";
}

std::string Filters::check_score(double score) const {
  if (min_score && score < *min_score) return fmt::format("low score: {:.4g} < {}", score, *min_score);
  if (max_score && score > *max_score) return fmt::format("high score: {:.4g} > {}", score, *max_score);
  return "";
}

FileRecord analyze_file(const SourceFile& file, const AnalyzeOptions& options) {
  FileRecord r;
  r.file = file;
  stamp_source(file, r);
  // A file's header is probed from its first bytes; a tar member is read whole (one pread) first.
  Bytes bytes;
  if (file.member) bytes = read_source(file);
  r.info = file.member ? image::probe_image(bytes.data(), bytes.size(), file.path) : image::probe_file(file.path);
  r.filtered = options.filters.check_header(r.info);
  if (!r.filtered.empty()) return r;
  const bool quality = options.filters.needs_quality();
  if (options.cache && !quality && !options.verify_decode) {
    const CacheEntry* e = options.cache->find(file.path, r.size, r.mtime_ns);
    if (e && e->signature.views.size() == (options.hash == HashKind::views ? signature_size(options.mirror) : 0)) {
      r.content = e->content;
      r.hash = e->hash;
      r.signature = e->signature;
      r.from_cache = true;
      return r;
    }
  }
  if (!file.member) bytes = read_source(file);
  r.content = content_hash(bytes.data(), bytes.size());
  image::DecodeOptions d;
  if (options.verify_decode) image::decode_image(bytes, file.path, d);
  const bool views = options.hash == HashKind::views;
  if (views) {
    r.signature = encoded_signature(bytes, file.path, options.mirror);
    const auto& whole = r.signature.views[0].fine;
    std::copy(whole.begin(), whole.end(), r.hash.words.begin());
  }
  if (views && !quality) return r;
  // The views have their own decode (encoded_signature); the other hashes share the quality's.
  d.min_width = d.min_height = quality ? std::max(options.quality_side, hash_input_side(options.hash)) : hash_input_side(options.hash);
  image::Image img = image::decode_image(bytes, file.path, d);
  if (!views) r.hash = compute_hash(img, options.hash);
  if (quality) {
    r.quality = measure_quality(shorter_side(img, options.quality_side));
    r.filtered = options.filters.check_quality(r.quality);
  }
  return r;
}

std::vector<FileRecord> analyze_files(const std::vector<SourceFile>& files, const AnalyzeOptions& options) {
  std::vector<FileRecord> out(files.size());
  Progress progress("hashing", files.size(), "images");
  parallel_for(0, files.size(), [&](size_t i) {
    try {
      out[i] = analyze_file(files[i], options);
    } catch (const Error& e) {
      out[i] = FileRecord{};
      out[i].file = files[i];
      out[i].error = e.what();
    }
    progress.advance();
  });
  return out;
}

}  // namespace tiny::dataset
