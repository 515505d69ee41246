#include "dataset/view_hash.hpp"

#include "core/error.hpp"
#include "dataset/window_dct.hpp"
#include "image/decode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace tiny::dataset {
namespace {

constexpr int kSide = 64;
constexpr int kFineSide = 16;  // the fine hash's coefficients: the top-left kFineSide x kFineSide
constexpr int kWorkingSide = 8 * kSide;

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

// The working luma: ITU-R 601 gray as float, area-reduced first when its shorter side is above
// kWorkingSide, which bounds the cost of window_dcts (JPEGs decoded at a reduced IDCT scale for
// hashing are far below it; at 2 * kSide the extrapolated false pairs of bench dedup-quality rose
// from 0.9 to 13 at 10^6 images, so the bound stays well above the hash size).
cv::Mat working_luma(const image::Image& img) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot hash an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat gray, luma;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  gray.convertTo(luma, CV_32F);
  const int shorter = std::min(luma.cols, luma.rows);
  if (shorter <= kWorkingSide) return luma;
  const double f = double(kWorkingSide) / shorter;
  cv::Mat small;
  cv::resize(luma, small, cv::Size(std::max(1, int(std::lround(luma.cols * f))), std::max(1, int(std::lround(luma.rows * f)))),
             0, 0, cv::INTER_AREA);
  return small;
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

PixelWindow frame_window(const CropFrame& f, int cols, int rows, bool mirror) {
  PixelWindow w;
  w.x0 = int(std::lround(f.left * cols));
  w.x1 = std::max(cols - int(std::lround(f.right * cols)), w.x0 + 1);
  w.y0 = int(std::lround(f.top * rows));
  w.y1 = std::max(rows - int(std::lround(f.bottom * rows)), w.y0 + 1);
  if (mirror) w = {cols - w.x1, w.y0, cols - w.x0, w.y1, true};
  return w;
}

ViewHash hash_coefficients(const float* dct) {
  std::array<float, 64> low{};
  std::array<float, kFineSide * kFineSide> mid{};
  std::copy(dct, dct + mid.size(), mid.begin());
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) low[size_t(y * 8 + x)] = mid[size_t(y * kFineSide + x)];
  ViewHash h;
  above_median(low, &h.coarse);
  above_median(mid, h.fine.data());
  return h;
}

std::vector<ViewHash> view_hashes(const image::Image& img, const std::vector<CropFrame>& frames, bool with_mirror) {
  const cv::Mat luma = working_luma(img);
  std::vector<PixelWindow> windows;
  for (bool mirror : {false, true})
    if (!mirror || with_mirror)
      for (const CropFrame& f : frames) windows.push_back(frame_window(f, luma.cols, luma.rows, mirror));
  std::vector<ViewHash> out;
  out.reserve(windows.size());
  for (const std::vector<float>& dct : window_dcts(luma, windows, kSide, kFineSide)) out.push_back(hash_coefficients(dct.data()));
  return out;
}

std::vector<CropFrame> signature_frames() {
  std::vector<CropFrame> frames = {CropFrame{}};
  for (const CropFrame& f : window_frames(kWindowCuts)) frames.push_back(f);
  return frames;
}

Signature signature(const image::Image& img, bool mirror) {
  return {view_hashes(img, signature_frames(), mirror), colour_grid(img), mirror};
}

Signature encoded_view_hashes(const Bytes& bytes, const std::string& origin, const std::vector<CropFrame>& frames,
                              bool with_mirror) {
  image::DecodeOptions d;
  d.min_width = d.min_height = kViewDecodeSide;
  const image::Image img = image::decode_image(bytes, origin, d);
  return {view_hashes(img, frames, with_mirror), colour_grid(img), with_mirror};
}

Signature encoded_signature(const Bytes& bytes, const std::string& origin, bool mirror) {
  return encoded_view_hashes(bytes, origin, signature_frames(), mirror);
}

size_t signature_size(bool mirror) { return signature_frames().size() * (mirror ? 2 : 1); }

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

int match_distance(const Signature& a, const Signature& b, int coarse_threshold) {
  if (a.views.empty() || b.views.empty() || !colours_agree(a.colour, b.colour, a.mirror || b.mirror)) return kNoMatch;
  return match_distance(a.views, b.views, coarse_threshold);
}

}  // namespace tiny::dataset
