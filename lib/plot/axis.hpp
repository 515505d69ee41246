#pragma once
// Plot axes: a range fitted to the data and rounded out to ticks at 1, 2 or 5 times a power of ten (or
// 0.25, 0.025, …), with labels that never read "-0".
#include <string>
#include <vector>

namespace tiny::plot {

struct Axis {
  double lo = 0, hi = 1, step = 1;
  // Position of `v` on an axis drawn from `from` over `length` (negative: upwards).
  double at(double v, double from, double length) const { return from + (v - lo) / (hi - lo) * length; }
  // The tick values: multiples of step in [lo, hi], zero exactly 0.
  std::vector<double> ticks() const;
  // The label of a tick: whole numbers for whole steps, else the shortest form ("27.5", "0.25"); steps
  // below 0.001 write every label with the step's exponent ("5e-05", "10e-05", "12e-05").
  std::string label(double tick) const;
};

// An axis over [data_lo, data_hi] (non-finite: 0..1): a given (non-NaN) end is kept, a fitted end is
// widened by `pad` times the span and rounded out to a tick.
Axis fit_axis(double given_lo, double given_hi, double data_lo, double data_hi, double pad);

}  // namespace tiny::plot
