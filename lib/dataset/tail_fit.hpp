#pragma once
// How often two distinct images fall within a distance, far beyond what a sample of pairs can show:
// the lower tail of the distance histogram is fitted with an exponential (log of the cumulative
// frequency linear in the distance) and extrapolated. Distances between unrelated pictures fall off
// faster than exponentially towards 0 (their log-CDF is concave), so the estimate errs high.
#include <cstdint>
#include <vector>

namespace tiny::dataset {

struct TailFit {
  double intercept = 0, slope = 0;  // ln F(d) = intercept + slope * d over [first, last]
  int first = 0, last = -1;         // distances the fit used (last < first: no fit)
  double total = 0;                 // pairs in the histogram
  std::vector<double> cumulative;   // empirical F(d)
  // The probability that a pair is within `d`: the fit up to `last`, the sample beyond (never below
  // the fit's value at `last`, so the estimate grows with d).
  double probability(int d) const;
};

// Fits histogram[d] (pairs at distance d): the distances whose cumulative count is at least
// `min_count` and whose cumulative frequency is at most 1 % (or the lowest three such distances).
TailFit fit_lower_tail(const std::vector<uint64_t>& histogram, uint64_t min_count = 5);

// Expected false pairs among n distinct images when each of `views_per_pair` comparisons of a pair
// matches with probability p (a union bound): n (n - 1) / 2 * views_per_pair * p.
double expected_false_pairs(double n, double views_per_pair, double p);

}  // namespace tiny::dataset
