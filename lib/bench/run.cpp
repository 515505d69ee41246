#include "bench/run.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/stopwatch.hpp"
#include "image/decode.hpp"
#include "image/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <numeric>

namespace tiny::bench {
namespace {

Measurement measure(const Codec& codec, const image::Image& img, double quality) {
  Stopwatch t0;
  Bytes data = codec.encode(img, quality);
  double enc = t0.lap();
  image::Image out = codec.decode(data);
  double dec = t0.seconds();
  Measurement m;
  m.bytes = static_cast<double>(data.size());
  const double pixels = static_cast<double>(img.width) * img.height;
  m.bpp = m.bytes * 8.0 / pixels;
  m.payload_bpp = static_cast<double>(codec.payload_bytes(data)) * 8.0 / pixels;
  m.psnr = image::psnr(img, out);
  m.ms_ssim = image::ms_ssim(img, out);
  m.encode_s = enc;
  m.decode_s = dec;
  return m;
}

void compute_means(PointResult& p) {
  Measurement s;
  for (const Measurement& m : p.images) {
    if (m.bytes == 0) continue;
    ++p.count;
    s.bytes += m.bytes;
    s.bpp += m.bpp;
    s.payload_bpp += m.payload_bpp;
    s.psnr += m.psnr;
    s.ms_ssim += m.ms_ssim;
    s.encode_s += m.encode_s;
    s.decode_s += m.decode_s;
  }
  if (p.count == 0) return;
  double n = p.count;
  p.mean = {s.bytes / n, s.bpp / n, s.payload_bpp / n, s.psnr / n, s.ms_ssim / n, s.encode_s / n, s.decode_s / n};
}

}  // namespace

BenchResult run_bench(const std::vector<std::string>& files, const std::vector<std::unique_ptr<Codec>>& codecs,
                      bool quick) {
  Stopwatch start;
  BenchResult r;
  r.files = files;
  for (const auto& c : codecs) {
    CodecResult cr{c->name(), c->setting_unit(), {}};
    for (double q : c->qualities(quick)) cr.points.push_back({q, {}, std::vector<Measurement>(files.size()), 0});
    r.codecs.push_back(std::move(cr));
  }
  size_t jobs = 0;
  for (const auto& cr : r.codecs) jobs += cr.points.size();
  std::mutex mutex;
  Progress progress("bench", jobs * files.size(), "encodes");
  parallel_for(0, files.size(), [&](size_t i) {
    image::Image img;
    try {
      img = image::read_image(files[i]);
    } catch (const Error& e) {
      std::lock_guard<std::mutex> lock(mutex);
      log::warn("skipping {}", e.what());
      r.skipped.push_back(e.what());
      ++r.skipped_images;
      progress.advance(jobs);
      return;
    }
    for (size_t c = 0; c < codecs.size(); ++c) {
      for (PointResult& p : r.codecs[c].points) {
        try {
          p.images[i] = measure(*codecs[c], img, p.setting);
        } catch (const Error& e) {
          std::string why = file_error(files[i], fmt::format("{} at {} {}: {}", codecs[c]->name(), r.codecs[c].setting_unit, p.setting, e.what()));
          std::lock_guard<std::mutex> lock(mutex);
          log::warn("{}", why);
          r.skipped.push_back(why);
        }
        progress.advance();
      }
    }
  });
  progress.finish();
  std::sort(r.skipped.begin(), r.skipped.end());
  for (auto& cr : r.codecs)
    for (auto& p : cr.points) compute_means(p);
  r.seconds = start.seconds();
  return r;
}

Curve to_curve(const CodecResult& result, const std::string& description, Rate rate) {
  std::vector<const PointResult*> pts;
  for (const auto& p : result.points)
    if (p.count > 0) pts.push_back(&p);
  std::sort(pts.begin(), pts.end(), [](auto a, auto b) { return a->mean.bpp < b->mean.bpp; });
  Curve c;
  c.name = result.codec;
  c.description = description;
  for (const PointResult* p : pts) {
    c.bpp.push_back(rate == Rate::payload ? p->mean.payload_bpp : p->mean.bpp);
    c.psnr.push_back(p->mean.psnr);
    c.ms_ssim.push_back(p->mean.ms_ssim);
    c.encoding_time.push_back(p->mean.encode_s);
    c.decoding_time.push_back(p->mean.decode_s);
  }
  return c;
}

std::vector<std::string> list_images(const std::string& folder, bool quick) {
  static const char* const exts[] = {".png", ".jpg", ".jpeg", ".ppm", ".pnm", ".bmp", ".tif", ".tiff", ".webp"};
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (e.is_regular_file() && std::find(std::begin(exts), std::end(exts), ext) != std::end(exts))
      out.push_back(e.path().string());
  }
  if (ec) throw Error(file_error(folder, "cannot read the folder: " + ec.message()));
  if (out.empty()) throw Error(file_error(folder, "no images (png, jpg, ppm, bmp, tiff, webp) in this folder"));
  std::sort(out.begin(), out.end());
  if (quick && out.size() > 3) out.resize(3);
  return out;
}

}  // namespace tiny::bench
