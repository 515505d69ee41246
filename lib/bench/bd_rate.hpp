#pragma once
// Bjøntegaard delta metrics between two rate–distortion curves (see docs/commands/bench.md).
//
// BD-rate: log10(rate) is interpolated as a function of quality over the overlap of the two quality
// ranges; the mean difference d of the integrals gives (10^d − 1)·100 %, negative when the test curve
// needs fewer bits. BD-PSNR: quality as a function of log10(rate) over the overlapping rate range;
// the mean difference in dB (positive when the test curve is better). Interpolation is either
// piecewise cubic Hermite (PCHIP with Fritsch–Carlson slopes, as current practice and
// scipy.interpolate.PchipInterpolator) or the least-squares cubic polynomial of the original VCEG-M33.
#include <vector>

namespace tiny::bench {

enum class Interpolation { pchip, polynomial };

struct RdCurve {
  std::vector<double> rate;     // e.g. bpp, > 0
  std::vector<double> quality;  // e.g. PSNR in dB
};

// BD-rate of `test` against `anchor` in percent; throws Error on curves with < 2 points, a
// non-positive rate, repeated abscissae or ranges that do not overlap.
double bd_rate(const RdCurve& anchor, const RdCurve& test, Interpolation interp = Interpolation::pchip);
// BD-PSNR (BD-quality) of `test` against `anchor` in the quality's unit; same errors as bd_rate.
double bd_psnr(const RdCurve& anchor, const RdCurve& test, Interpolation interp = Interpolation::pchip);

// The integral over [lo, hi] of the curve through (x, y) interpolated as asked (x need not be sorted).
double integrate_curve(std::vector<double> x, std::vector<double> y, double lo, double hi, Interpolation interp);

}  // namespace tiny::bench
