#include "dataset/tail_fit.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::dataset {

double TailFit::probability(int d) const {
  if (d < 0) return 0;
  if (last >= first && d <= last) return std::min(1.0, std::exp(intercept + slope * d));
  if (cumulative.empty()) return 0;
  double sample = cumulative[std::min<size_t>(size_t(d), cumulative.size() - 1)];
  return last >= first ? std::max(sample, std::exp(intercept + slope * last)) : sample;
}

TailFit fit_lower_tail(const std::vector<uint64_t>& histogram, uint64_t min_count) {
  TailFit fit;
  uint64_t sum = 0;
  for (uint64_t c : histogram) sum += c;
  fit.total = double(sum);
  if (sum == 0) return fit;
  std::vector<uint64_t> cum(histogram.size());
  for (size_t d = 0; d < histogram.size(); ++d) cum[d] = histogram[d] + (d ? cum[d - 1] : 0);
  for (uint64_t c : cum) fit.cumulative.push_back(double(c) / double(sum));
  std::vector<int> used;
  for (size_t d = 0; d < cum.size(); ++d) {
    if (cum[d] < min_count) continue;
    if (fit.cumulative[d] > 0.01 && used.size() >= 3) break;
    used.push_back(int(d));
  }
  if (used.size() < 2) return fit;
  double n = double(used.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int d : used) {
    double y = std::log(fit.cumulative[size_t(d)]);
    sx += d;
    sy += y;
    sxx += double(d) * d;
    sxy += d * y;
  }
  double den = n * sxx - sx * sx;
  if (den <= 0) return fit;
  fit.slope = (n * sxy - sx * sy) / den;
  fit.intercept = (sy - fit.slope * sx) / n;
  fit.first = used.front();
  fit.last = used.back();
  return fit;
}

double expected_false_pairs(double n, double views_per_pair, double p) { return n * (n - 1) / 2 * views_per_pair * p; }

}  // namespace tiny::dataset
