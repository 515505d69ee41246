#include "dataset/view_hash.hpp"

#include "core/error.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace tiny::dataset {
namespace {

constexpr int kSide = 64;
constexpr int kFineSide = 16;  // the fine hash's coefficients: the top-left kFineSide x kFineSide

// Bit i set where values[i] is above the median of `values`.
template <size_t N>
void above_median(const std::array<float, N>& values, uint64_t* words) {
  std::array<float, N> sorted = values;
  std::nth_element(sorted.begin(), sorted.begin() + N / 2, sorted.end());
  float hi = sorted[N / 2];
  float lo = *std::max_element(sorted.begin(), sorted.begin() + N / 2);
  float median = 0.5f * (lo + hi);
  for (size_t i = 0; i < N; ++i)
    if (values[i] > median) words[i / 64] |= uint64_t(1) << (i % 64);
}

ViewHash hash_window(const cv::Mat& gray, const CropFrame& f) {
  int x0 = int(std::lround(f.left * gray.cols)), x1 = gray.cols - int(std::lround(f.right * gray.cols));
  int y0 = int(std::lround(f.top * gray.rows)), y1 = gray.rows - int(std::lround(f.bottom * gray.rows));
  x1 = std::max(x1, x0 + 1);
  y1 = std::max(y1, y0 + 1);
  cv::Mat small, dct;
  cv::resize(gray(cv::Rect(x0, y0, x1 - x0, y1 - y0)), small, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
  cv::dct(small, dct);
  std::array<float, 64> low{};
  std::array<float, kFineSide * kFineSide> mid{};
  for (int y = 0; y < kFineSide; ++y)
    for (int x = 0; x < kFineSide; ++x) {
      float c = dct.at<float>(y, x);
      mid[size_t(y * kFineSide + x)] = c;
      if (y < 8 && x < 8) low[y * 8 + x] = c;
    }
  ViewHash h;
  above_median(low, &h.coarse);
  above_median(mid, h.fine.data());
  return h;
}

}  // namespace

std::vector<CropFrame> window_frames(const std::vector<std::vector<float>>& lattices) {
  std::vector<CropFrame> out;
  auto known = [&](const CropFrame& f) {
    for (const CropFrame& o : out)
      if (o.left == f.left && o.top == f.top && o.right == f.right && o.bottom == f.bottom) return true;
    return false;
  };
  for (const auto& cuts : lattices)
    for (float l : cuts)
      for (float t : cuts)
        for (float r : cuts)
          for (float b : cuts) {
            CropFrame f{l, t, r, b};
            if ((l > 0 || t > 0 || r > 0 || b > 0) && !known(f)) out.push_back(f);
          }
  return out;
}

std::vector<ViewHash> view_hashes(const image::Image& img, const std::vector<CropFrame>& frames, bool mirror) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot hash an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat gray, luma;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  if (mirror) cv::flip(gray, gray, 1);
  gray.convertTo(luma, CV_32F);
  std::vector<ViewHash> out;
  out.reserve(frames.size());
  for (const CropFrame& f : frames) out.push_back(hash_window(luma, f));
  return out;
}

std::vector<ViewHash> signature(const image::Image& img, bool mirror) {
  std::vector<CropFrame> frames = {CropFrame{}};
  for (const CropFrame& f : window_frames(kWindowCuts)) frames.push_back(f);
  std::vector<ViewHash> out = view_hashes(img, frames);
  if (mirror) {
    std::vector<ViewHash> m = view_hashes(img, frames, true);
    out.insert(out.end(), m.begin(), m.end());
  }
  return out;
}

size_t signature_size(bool mirror) { return (window_frames(kWindowCuts).size() + 1) * (mirror ? 2 : 1); }

int coarse_distance(const ViewHash& a, const ViewHash& b) { return __builtin_popcountll(a.coarse ^ b.coarse); }

int fine_distance(const ViewHash& a, const ViewHash& b) {
  int d = 0;
  for (int i = 0; i < 4; ++i) d += __builtin_popcountll(a.fine[i] ^ b.fine[i]);
  return d;
}

int match_distance(const std::vector<ViewHash>& a, const std::vector<ViewHash>& b, int coarse_threshold) {
  int best = kNoMatch;
  if (a.empty() || b.empty()) return best;
  auto consider = [&](const ViewHash& x, const ViewHash& y) {
    if (coarse_distance(x, y) <= coarse_threshold) best = std::min(best, fine_distance(x, y));
  };
  for (const ViewHash& v : b) consider(a[0], v);
  for (size_t k = 1; k < a.size(); ++k) consider(a[k], b[0]);
  return best;
}

}  // namespace tiny::dataset
