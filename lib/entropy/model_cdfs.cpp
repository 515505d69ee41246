#include "entropy/model_cdfs.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::entropy {
namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Inverse of normal_cdf by bisection (only used to size the tables).
double normal_quantile(double p) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    (normal_cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::vector<float> gaussian_scale_table() {
  std::vector<float> s(64);
  const double lo = std::log(0.11), hi = std::log(256.0);
  for (int i = 0; i < 64; ++i) s[i] = float(std::exp(lo + (hi - lo) * i / 63.0));
  return s;
}

std::vector<QuantizedCdf> gaussian_cdfs(const std::vector<float>& scales, double tail_mass) {
  const double multiplier = -normal_quantile(tail_mass / 2);
  std::vector<QuantizedCdf> out;
  for (float scale : scales) {
    int center = int(std::ceil(double(scale) * multiplier));
    std::vector<float> pmf(size_t(2 * center + 1));
    for (int i = 0; i < int(pmf.size()); ++i) {
      double sample = std::abs(i - center);
      pmf[size_t(i)] = float(normal_cdf((0.5 - sample) / scale) - normal_cdf((-0.5 - sample) / scale));
    }
    float tail = float(2 * normal_cdf((-0.5 - center) / scale));
    out.push_back(build_cdf(pmf, tail, -center));
  }
  return out;
}

std::vector<QuantizedCdf> factorized_cdfs(int channels) {
  std::vector<QuantizedCdf> out;
  for (int c = 0; c < channels; ++c) {
    double b = 0.3 * std::pow(40.0, double(c) / std::max(1, channels - 1));
    int center = int(std::ceil(b * 21));  // Laplace tail beyond center: exp(-21) < 1e-9
    auto cdf = [b](double x) { return x < 0 ? 0.5 * std::exp(x / b) : 1 - 0.5 * std::exp(-x / b); };
    std::vector<float> pmf(size_t(2 * center + 1));
    for (int i = 0; i < int(pmf.size()); ++i) pmf[size_t(i)] = float(cdf(i - center + 0.5) - cdf(i - center - 0.5));
    out.push_back(build_cdf(pmf, float(2 * cdf(-center - 0.5)), -center));
  }
  return out;
}

}  // namespace tiny::entropy
