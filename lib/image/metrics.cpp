#include "image/metrics.hpp"

#include "core/error.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace tiny::image {
namespace {

constexpr int kWindow = 11;
constexpr double kSigma = 1.5;
constexpr std::array<double, 5> kWeights = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

struct Plane {
  int w = 0, h = 0;
  std::vector<double> v;
  double at(int x, int y) const { return v[size_t(y) * w + x]; }
};

void check_same_size(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height)
    throw Error("metrics need images of the same size, got " + std::to_string(a.width) + "x" +
                std::to_string(a.height) + " and " + std::to_string(b.width) + "x" + std::to_string(b.height));
}

std::array<double, kWindow> gaussian_window() {
  std::array<double, kWindow> g{};
  double sum = 0;
  for (int i = 0; i < kWindow; ++i) {
    double c = i - kWindow / 2;
    g[i] = std::exp(-(c * c) / (2 * kSigma * kSigma));
    sum += g[i];
  }
  for (double& x : g) x /= sum;
  return g;
}

// Separable Gaussian filter with 'valid' borders: the output is (w-10) x (h-10).
Plane filter_valid(const Plane& p) {
  static const auto g = gaussian_window();
  Plane tmp{p.w - kWindow + 1, p.h, std::vector<double>(size_t(p.w - kWindow + 1) * p.h)};
  for (int y = 0; y < p.h; ++y)
    for (int x = 0; x < tmp.w; ++x) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) s += g[k] * p.at(x + k, y);
      tmp.v[size_t(y) * tmp.w + x] = s;
    }
  Plane out{tmp.w, p.h - kWindow + 1, std::vector<double>(size_t(tmp.w) * (p.h - kWindow + 1))};
  for (int y = 0; y < out.h; ++y)
    for (int x = 0; x < out.w; ++x) {
      double s = 0;
      for (int k = 0; k < kWindow; ++k) s += g[k] * tmp.at(x, y + k);
      out.v[size_t(y) * out.w + x] = s;
    }
  return out;
}

Plane multiply(const Plane& a, const Plane& b) {
  Plane out{a.w, a.h, std::vector<double>(a.v.size())};
  for (size_t i = 0; i < a.v.size(); ++i) out.v[i] = a.v[i] * b.v[i];
  return out;
}

// 2x2 average pooling, stride 2; an odd side is padded by one zero on each side (pad counted).
Plane downsample(const Plane& p) {
  int px = p.w % 2, py = p.h % 2;
  int ow = (p.w + 2 * px - 2) / 2 + 1, oh = (p.h + 2 * py - 2) / 2 + 1;
  Plane out{ow, oh, std::vector<double>(size_t(ow) * oh)};
  auto get = [&](int x, int y) { return (x < 0 || y < 0 || x >= p.w || y >= p.h) ? 0.0 : p.at(x, y); };
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x) {
      int sx = 2 * x - px, sy = 2 * y - py;
      out.v[size_t(y) * ow + x] = (get(sx, sy) + get(sx + 1, sy) + get(sx, sy + 1) + get(sx + 1, sy + 1)) / 4.0;
    }
  return out;
}

// Mean SSIM and mean contrast-structure term of one channel at one scale.
std::pair<double, double> ssim_and_cs(const Plane& x, const Plane& y) {
  constexpr double C1 = (0.01 * 255) * (0.01 * 255), C2 = (0.03 * 255) * (0.03 * 255);
  Plane mx = filter_valid(x), my = filter_valid(y);
  Plane sxx = filter_valid(multiply(x, x)), syy = filter_valid(multiply(y, y)), sxy = filter_valid(multiply(x, y));
  double ssim_sum = 0, cs_sum = 0;
  for (size_t i = 0; i < mx.v.size(); ++i) {
    double m1 = mx.v[i], m2 = my.v[i];
    double v1 = sxx.v[i] - m1 * m1, v2 = syy.v[i] - m2 * m2, c12 = sxy.v[i] - m1 * m2;
    double cs = (2 * c12 + C2) / (v1 + v2 + C2);
    double l = (2 * m1 * m2 + C1) / (m1 * m1 + m2 * m2 + C1);
    ssim_sum += l * cs;
    cs_sum += cs;
  }
  double n = double(mx.v.size());
  return {ssim_sum / n, cs_sum / n};
}

Plane channel(const Image& img, int c) {
  Plane p{img.width, img.height, std::vector<double>(size_t(img.width) * img.height)};
  for (size_t i = 0; i < p.v.size(); ++i) p.v[i] = img.pixels[i * 3 + c];
  return p;
}

}  // namespace

double mse(const Image& a, const Image& b) {
  check_same_size(a, b);
  if (a.pixels.empty()) throw Error("metrics need non-empty images");
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    double d = double(a.pixels[i]) - double(b.pixels[i]);
    sum += d * d;
  }
  return sum / double(a.pixels.size());
}

double psnr(const Image& a, const Image& b) {
  double m = mse(a, b);
  if (m == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / m);
}

double ms_ssim(const Image& a, const Image& b) {
  check_same_size(a, b);
  constexpr int kMinSide = (kWindow - 1) * 16;
  if (a.width <= kMinSide || a.height <= kMinSide)
    throw Error("MS-SSIM needs both sides above " + std::to_string(kMinSide) + " pixels, got " +
                std::to_string(a.width) + "x" + std::to_string(a.height));
  double total = 0;
  for (int c = 0; c < 3; ++c) {
    Plane x = channel(a, c), y = channel(b, c);
    double value = 1.0;
    for (size_t level = 0; level < kWeights.size(); ++level) {
      auto [ssim, cs] = ssim_and_cs(x, y);
      if (level + 1 < kWeights.size()) {
        value *= std::pow(std::max(cs, 0.0), kWeights[level]);
        x = downsample(x);
        y = downsample(y);
      } else {
        value *= std::pow(std::max(ssim, 0.0), kWeights[level]);
      }
    }
    total += value;
  }
  return total / 3.0;
}

double ms_ssim_db(double v) {
  if (v >= 1.0) return std::numeric_limits<double>::infinity();
  return -10.0 * std::log10(1.0 - v);
}

}  // namespace tiny::image
