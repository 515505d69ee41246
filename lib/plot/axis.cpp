#include "plot/axis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tiny::plot {
namespace {

// The round step (1, 2 or 5 times a power of ten, or 0.25, 0.025, …) giving nearest six ticks over `span`.
double tick_step(double span) {
  const double power = std::pow(10, std::floor(std::log10(span / 6)));
  double best = power;
  for (double p : {power, power * 10})
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      if (m == 2.5 && p >= 1) continue;  // 2.5, 25, … would label ticks 27.5, 37.5
      if (std::fabs(span / (m * p) - 6) < std::fabs(span / best - 6)) best = m * p;
    }
  return best;
}

}  // namespace

std::vector<double> Axis::ticks() const {
  std::vector<double> out;
  const long first = std::lround(std::ceil(lo / step - 1e-9)), last = std::lround(std::floor(hi / step + 1e-9));
  for (long i = first; i <= last; ++i) out.push_back(i == 0 ? 0.0 : double(i) * step);
  return out;
}

std::string Axis::label(double tick) const {
  if (tick == 0) return "0";
  if (step >= 1 && step == std::floor(step)) return fmt::format("{:.0f}", tick);
  if (step >= 1e-3) return fmt::format("{:g}", tick);
  const int exponent = int(std::floor(std::log10(step) + 1e-9));  // tiny steps: every label with the step's exponent
  return fmt::format("{:g}e{:+03d}", tick / std::pow(10, exponent), exponent);
}

Axis fit_axis(double given_lo, double given_hi, double data_lo, double data_hi, double pad) {
  if (!std::isfinite(data_lo) || !std::isfinite(data_hi)) data_lo = 0, data_hi = 1;
  double lo = std::isnan(given_lo) ? data_lo : given_lo, hi = std::isnan(given_hi) ? data_hi : given_hi;
  if (!(hi > lo)) {
    const double half = std::max(std::fabs(lo) * 0.1, 1e-9);
    lo -= half, hi += half;
  }
  const double span = hi - lo;
  if (std::isnan(given_lo)) lo -= pad * span;
  if (std::isnan(given_hi)) hi += pad * span;
  Axis a{lo, hi, tick_step(hi - lo)};
  if (std::isnan(given_lo)) a.lo = std::floor(lo / a.step + 1e-9) * a.step;
  if (std::isnan(given_hi)) a.hi = std::ceil(hi / a.step - 1e-9) * a.step;
  return a;
}

}  // namespace tiny::plot
