#include "bench/dataset_bench.hpp"

#include "bench/timing.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/stopwatch.hpp"
#include "dataset/near_dup_index.hpp"
#include "dataset/perceptual_hash.hpp"
#include "dataset/view_pairs.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/opencv_codecs.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace tiny::bench {

using namespace dataset;

namespace {

image::Image synthetic_picture(unsigned seed) {
  image::Image img = image::Image::blank(768, 512);
  std::mt19937 rng(seed);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      uint8_t* p = img.at(x, y);
      p[0] = uint8_t((x * (seed + 1) / 3 + (rng() & 31)) & 255);
      p[1] = uint8_t((y / 2 + (x ^ y) % 64) & 255);
      p[2] = uint8_t(((x + y) * seed / 5) & 255);
    }
  return img;
}

// The baseline: decode at full size with OpenCV, then the textbook pHash.
PerceptualHash opencv_phash(const Bytes& jpeg) {
  cv::Mat bgr = image::cv_decode(jpeg.data(), jpeg.size(), image::CvRead::color);
  if (bgr.empty()) throw Error("OpenCV cannot decode a benchmark JPEG");
  cv::Mat gray, small, f, dct;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  cv::resize(gray, small, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
  small.convertTo(f, CV_32F);
  cv::dct(f, dct);
  std::vector<float> c;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) c.push_back(dct.at<float>(y, x));
  std::vector<float> s = c;
  std::sort(s.begin(), s.end());
  float median = 0.5f * (s[31] + s[32]);
  PerceptualHash h;
  for (int i = 0; i < 64; ++i)
    if (c[i] > median) h.words[0] |= uint64_t(1) << i;
  return h;
}

PerceptualHash tiny_phash(const Bytes& jpeg) {
  image::DecodeOptions d;
  d.min_width = d.min_height = hash_input_side(HashKind::phash);
  return dct_hash(image::decode_image(jpeg, "benchmark image", d));
}

// filter-dataset's default: reduced decode, then the views signature.
image::Image views_decode(const Bytes& jpeg) {
  image::DecodeOptions d;
  d.min_width = d.min_height = hash_input_side(HashKind::views);
  return image::decode_image(jpeg, "benchmark image", d);
}

uint64_t flip_bits(uint64_t w, int bits, std::mt19937_64& rng) {
  for (int f = 0; f < bits; ++f) w ^= uint64_t(1) << (rng() % 64);
  return w;
}

// n random hashes followed by `planted` copies of random ones with 1..max(t,1) bits flipped.
std::vector<PerceptualHash> planted_hashes(size_t n, size_t planted, int threshold, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<PerceptualHash> h(n);
  for (auto& x : h) x.words[0] = rng();
  for (size_t p = 0; p < planted && n > 0; ++p) {
    PerceptualHash c = h[rng() % n];
    int flips = 1 + int(rng() % uint64_t(std::max(threshold, 1)));
    for (int f = 0; f < flips; ++f) c.words[0] ^= uint64_t(1) << (rng() % 64);
    h.push_back(c);
  }
  return h;
}

}  // namespace

std::vector<ViewHash> opencv_signature(const image::Image& img) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot hash an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat gray, luma;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  gray.convertTo(luma, CV_32F);
  std::vector<ViewHash> out;
  for (const CropFrame& f : signature_frames()) {
    PixelWindow w = frame_window(f, luma.cols, luma.rows, false);
    cv::Mat small, dct;
    cv::resize(luma(cv::Rect(w.x0, w.y0, w.x1 - w.x0, w.y1 - w.y0)), small, cv::Size(64, 64), 0, 0, cv::INTER_AREA);
    cv::dct(small, dct);
    cv::Mat top = dct(cv::Rect(0, 0, 16, 16)).clone();
    out.push_back(hash_coefficients(top.ptr<float>()));
  }
  return out;
}

std::vector<Signature> planted_signatures(size_t n, size_t planted, int coarse, int fine, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const size_t views = signature_size(false);
  auto random_view = [&] {
    ViewHash v;
    v.coarse = rng();
    for (auto& w : v.fine) w = rng();
    return v;
  };
  std::vector<Signature> out(n);
  for (auto& s : out) {
    for (size_t v = 0; v < views; ++v) s.views.push_back(random_view());
    for (uint8_t& c : s.colour) c = uint8_t(rng());
  }
  for (size_t p = 0; p < planted && n > 0; ++p) {
    const Signature& o = out[rng() % n];
    Signature c{{o.views[rng() % views]}, o.colour};
    c.views[0].coarse = flip_bits(c.views[0].coarse, int(rng() % uint64_t(coarse + 1)), rng);
    c.views[0].fine[0] = flip_bits(c.views[0].fine[0], int(rng() % uint64_t(std::min(fine, 64) + 1)), rng);
    for (size_t v = 1; v < views; ++v) c.views.push_back(random_view());
    out.push_back(c);
  }
  return out;
}

std::vector<Bytes> bench_jpegs(const std::string& folder, int count) {
  std::vector<Bytes> out;
  std::error_code ec;
  if (!folder.empty() && fs::is_directory(folder, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      std::string ext = e.path().extension().string();
      if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (count > 0 && int(files.size()) > count) files.resize(count);
    for (const auto& f : files) out.push_back(image::encode_image(image::read_image(f), image::Format::jpeg));
  }
  if (out.empty())
    for (int i = 0; i < std::max(count, 1); ++i)
      out.push_back(image::encode_image(synthetic_picture(unsigned(i) + 1), image::Format::jpeg));
  return out;
}

nlohmann::json bench_hash(const std::vector<Bytes>& jpegs, int rounds) {
  const size_t n = jpegs.size() * size_t(std::max(rounds, 1));
  auto time_it = [&](auto&& fn, auto& out) {
    Stopwatch t0;
    parallel_for(0, n, [&](size_t i) {
      auto h = fn(jpegs[i % jpegs.size()]);
      if (i < jpegs.size()) out[i] = h;
    });
    return t0.seconds();
  };
  std::vector<PerceptualHash> ours(jpegs.size()), theirs(jpegs.size());
  double t_tiny = time_it(tiny_phash, ours);
  double t_cv = time_it(opencv_phash, theirs);
  std::vector<Signature> views(jpegs.size());
  std::vector<std::vector<ViewHash>> views_cv(jpegs.size());
  const double cpu0 = process_cpu_seconds();
  double t_views = time_it([](const Bytes& b) { return signature(views_decode(b), false); }, views);
  const double cpu_views = process_cpu_seconds() - cpu0;
  double t_views_cv = time_it([](const Bytes& b) { return opencv_signature(views_decode(b)); }, views_cv);
  int worst = 0, worst_coarse = 0, worst_fine = 0;
  for (size_t i = 0; i < jpegs.size(); ++i) {
    worst = std::max(worst, hamming(ours[i], theirs[i]));
    for (size_t v = 0; v < views[i].views.size(); ++v) {
      worst_coarse = std::max(worst_coarse, coarse_distance(views[i].views[v], views_cv[i][v]));
      worst_fine = std::max(worst_fine, fine_distance(views[i].views[v], views_cv[i][v]));
    }
  }
  return {{"images", n},
          {"tiny_images_per_s", n / t_tiny},
          {"baseline", "OpenCV full decode + pHash"},
          {"baseline_images_per_s", n / t_cv},
          {"speedup", t_cv / t_tiny},
          {"max_hash_distance_to_baseline", worst},
          {"views_images_per_s", n / t_views},
          {"views_images_per_cpu_s", n / cpu_views},
          {"views_baseline", "reduced decode + per view OpenCV resize and 64x64 DCT (no colour grid)"},
          {"views_baseline_images_per_s", n / t_views_cv},
          {"views_speedup", t_views_cv / t_views},
          {"views_speed_vs_phash", t_tiny / t_views},
          {"views_max_coarse_distance_to_baseline", worst_coarse},
          {"views_max_fine_distance_to_baseline", worst_fine}};
}

nlohmann::json bench_dedup(size_t n, size_t planted, int threshold, size_t sample) {
  std::vector<PerceptualHash> h = planted_hashes(n, planted, threshold, 12345);
  Stopwatch t0;
  auto pairs = near_pairs(h, 64, threshold);
  double t_index = t0.seconds();

  std::vector<PerceptualHash> s = planted_hashes(sample, planted * sample / std::max<size_t>(n, 1) + 1, threshold, 678);
  t0.restart();
  auto fast = near_pairs(s, 64, threshold);
  double t_sample_index = t0.lap();
  auto slow = near_pairs_brute_force(s, threshold);
  double t_sample_brute = t0.seconds();
  double scale = double(h.size()) * double(h.size()) / (double(s.size()) * double(s.size()));
  return {{"hashes", h.size()},
          {"planted_pairs", planted},
          {"threshold", threshold},
          {"pairs_found", pairs.size()},
          {"index_seconds", t_index},
          {"sample", s.size()},
          {"sample_pairs", slow.size()},
          {"sample_exact", fast == slow},
          {"sample_index_seconds", t_sample_index},
          {"sample_brute_force_seconds", t_sample_brute},
          {"brute_force_seconds_extrapolated", t_sample_brute * scale},
          {"speedup_vs_brute_force", t_sample_brute * scale / t_index}};
}

nlohmann::json bench_view_dedup(size_t n, size_t planted, int coarse_threshold, int fine_threshold, size_t sample) {
  std::vector<Signature> s = planted_signatures(n, planted, coarse_threshold, fine_threshold, 12345);
  std::vector<HashPair> pairs;
  const Timing views = time_of([&] { pairs = view_pairs(s, coarse_threshold, fine_threshold); });
  size_t found = 0;
  for (const HashPair& p : pairs) found += p.b >= n;
  std::vector<PerceptualHash> whole(s.size());
  for (size_t i = 0; i < s.size(); ++i) whole[i].words[0] = s[i].views[0].coarse;
  const int old_threshold = default_threshold(HashKind::phash);
  size_t old_pairs = 0;
  const Timing old = time_of([&] { old_pairs = near_pairs(whole, 64, old_threshold).size(); });

  std::vector<Signature> small =
      planted_signatures(sample, planted * sample / std::max<size_t>(n, 1) + 1, coarse_threshold, fine_threshold, 678);
  bool exact = view_pairs(small, coarse_threshold, fine_threshold) == view_pairs_brute_force(small, coarse_threshold, fine_threshold);
  return {{"images", s.size()},
          {"views_per_image", signature_size(false)},
          {"coarse_threshold", coarse_threshold},
          {"fine_threshold", fine_threshold},
          {"planted_pairs", planted},
          {"planted_pairs_found", found},
          {"pairs_found", pairs.size()},
          {"views_index_seconds", views.wall},
          {"views_index_cpu_seconds", views.cpu},
          {"old_path", fmt::format("pHash near_pairs at threshold {}", old_threshold)},
          {"old_path_pairs", old_pairs},
          {"old_index_seconds", old.wall},
          {"old_index_cpu_seconds", old.cpu},
          {"views_time_vs_old", views.wall / old.wall},
          {"sample", small.size()},
          {"sample_exact", exact}};
}

}  // namespace tiny::bench
