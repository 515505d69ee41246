#include "bench/bd_rate.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tiny::bench {
namespace {

void sort_points(std::vector<double>& x, std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) throw Error("BD metrics: a curve needs at least 2 points");
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> sx, sy;
  for (size_t i : order) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) throw Error("BD metrics: a curve has a non-finite value");
    if (!sx.empty() && x[i] == sx.back()) throw Error("BD metrics: a curve has two points at the same abscissa");
    sx.push_back(x[i]);
    sy.push_back(y[i]);
  }
  x = std::move(sx);
  y = std::move(sy);
}

// Solves the normal equations of a least-squares polynomial fit of the given degree.
std::vector<double> polyfit(const std::vector<double>& x, const std::vector<double>& y, int degree) {
  const int n = degree + 1;
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (size_t k = 0; k < x.size(); ++k) {
    std::vector<double> p(2 * n, 1.0);
    for (int i = 1; i < 2 * n; ++i) p[i] = p[i - 1] * x[k];
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) a[i][j] += p[i + j];
      a[i][n] += p[i] * y[k];
    }
  }
  for (int c = 0; c < n; ++c) {
    int pivot = c;
    for (int r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    std::swap(a[c], a[pivot]);
    if (a[c][c] == 0) throw Error("BD metrics: the polynomial fit is singular");
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      double f = a[r][c] / a[c][c];
      for (int k = c; k <= n; ++k) a[r][k] -= f * a[c][k];
    }
  }
  std::vector<double> coef(n);
  for (int i = 0; i < n; ++i) coef[i] = a[i][n] / a[i][i];
  return coef;  // coef[i] multiplies x^i
}

double poly_integral(const std::vector<double>& coef, double lo, double hi) {
  double s = 0;
  for (size_t i = 0; i < coef.size(); ++i)
    s += coef[i] * (std::pow(hi, double(i + 1)) - std::pow(lo, double(i + 1))) / double(i + 1);
  return s;
}

// Fritsch–Carlson slopes with scipy's PchipInterpolator end conditions.
std::vector<double> pchip_slopes(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  std::vector<double> h(n - 1), delta(n - 1), d(n);
  for (size_t k = 0; k + 1 < n; ++k) {
    h[k] = x[k + 1] - x[k];
    delta[k] = (y[k + 1] - y[k]) / h[k];
  }
  if (n == 2) return {delta[0], delta[0]};
  for (size_t k = 1; k + 1 < n; ++k) {
    if (delta[k - 1] * delta[k] <= 0) {
      d[k] = 0;
    } else {
      double w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];
      d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
    }
  }
  auto end_slope = [](double h0, double h1, double m0, double m1) {
    double s = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
    if ((s > 0) != (m0 > 0) || s == 0) return 0.0;
    if ((m0 > 0) != (m1 > 0) && std::abs(s) > 3 * std::abs(m0)) return 3 * m0;
    return s;
  };
  d[0] = end_slope(h[0], h[1], delta[0], delta[1]);
  d[n - 1] = end_slope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
  return d;
}

double pchip_integral(const std::vector<double>& x, const std::vector<double>& y, double lo, double hi) {
  std::vector<double> d = pchip_slopes(x, y);
  double s = 0;
  for (size_t k = 0; k + 1 < x.size(); ++k) {
    double a = std::max(lo, x[k]), b = std::min(hi, x[k + 1]);
    if (a >= b) continue;
    double h = x[k + 1] - x[k], delta = (y[k + 1] - y[k]) / h;
    double c2 = (3 * delta - 2 * d[k] - d[k + 1]) / h, c3 = (d[k] + d[k + 1] - 2 * delta) / (h * h);
    auto prim = [&](double t) { return y[k] * t + d[k] * t * t / 2 + c2 * t * t * t / 3 + c3 * t * t * t * t / 4; };
    s += prim(b - x[k]) - prim(a - x[k]);
  }
  return s;
}

struct Overlap {
  double lo, hi;
};

Overlap overlap(const std::vector<double>& a, const std::vector<double>& b) {
  double lo = std::max(*std::min_element(a.begin(), a.end()), *std::min_element(b.begin(), b.end()));
  double hi = std::min(*std::max_element(a.begin(), a.end()), *std::max_element(b.begin(), b.end()));
  if (!(hi > lo)) throw Error("BD metrics: the two curves' ranges do not overlap");
  return {lo, hi};
}

std::vector<double> log_rates(const std::vector<double>& rate) {
  std::vector<double> out;
  for (double r : rate) {
    if (!(r > 0)) throw Error("BD metrics: a rate is not positive");
    out.push_back(std::log10(r));
  }
  return out;
}

}  // namespace

double integrate_curve(std::vector<double> x, std::vector<double> y, double lo, double hi, Interpolation interp) {
  sort_points(x, y);
  if (interp == Interpolation::pchip) return pchip_integral(x, y, lo, hi);
  return poly_integral(polyfit(x, y, static_cast<int>(std::min<size_t>(3, x.size() - 1))), lo, hi);
}

double bd_rate(const RdCurve& anchor, const RdCurve& test, Interpolation interp) {
  std::vector<double> la = log_rates(anchor.rate), lt = log_rates(test.rate);
  Overlap o = overlap(anchor.quality, test.quality);
  double ia = integrate_curve(anchor.quality, la, o.lo, o.hi, interp);
  double it = integrate_curve(test.quality, lt, o.lo, o.hi, interp);
  return (std::pow(10.0, (it - ia) / (o.hi - o.lo)) - 1) * 100;
}

double bd_psnr(const RdCurve& anchor, const RdCurve& test, Interpolation interp) {
  std::vector<double> la = log_rates(anchor.rate), lt = log_rates(test.rate);
  Overlap o = overlap(la, lt);
  double ia = integrate_curve(la, anchor.quality, o.lo, o.hi, interp);
  double it = integrate_curve(lt, test.quality, o.lo, o.hi, interp);
  return (it - ia) / (o.hi - o.lo);
}

}  // namespace tiny::bench
