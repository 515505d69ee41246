#include "bench/bd_rate.hpp"
#include "core/error.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny::bench;

namespace {

RdCurve sample_curve() {
  // A plausible codec curve: PSNR rising with log-rate, concave.
  RdCurve c;
  for (double bpp : {0.12, 0.2, 0.31, 0.48, 0.72, 1.05, 1.5, 2.1}) {
    c.rate.push_back(bpp);
    c.quality.push_back(36 + 6 * std::log2(bpp) - 0.4 * std::log2(bpp) * std::log2(bpp));
  }
  return c;
}

}  // namespace

TEST_CASE("BD-rate of a curve against itself with rates scaled by k is (k - 1) * 100 %") {
  RdCurve a = sample_curve();
  for (double k : {0.5, 0.8, 1.25, 2.0}) {
    RdCurve b = a;
    for (double& r : b.rate) r *= k;
    for (Interpolation in : {Interpolation::pchip, Interpolation::polynomial}) {
      CHECK(bd_rate(a, b, in) == doctest::Approx((k - 1) * 100).epsilon(1e-9));
    }
  }
}

TEST_CASE("BD-PSNR of a curve against itself shifted by c dB is c") {
  RdCurve a = sample_curve();
  for (double c : {-1.5, 0.25, 2.0}) {
    RdCurve b = a;
    for (double& q : b.quality) q += c;
    for (Interpolation in : {Interpolation::pchip, Interpolation::polynomial}) {
      CHECK(bd_psnr(a, b, in) == doctest::Approx(c).epsilon(1e-9));
    }
  }
}

TEST_CASE("BD metrics of a curve against itself are zero and the sign follows the better curve") {
  RdCurve a = sample_curve();
  CHECK(std::abs(bd_rate(a, a)) < 1e-9);
  CHECK(std::abs(bd_psnr(a, a, Interpolation::polynomial)) < 1e-9);
  RdCurve better = a;
  for (double& q : better.quality) q += 1;
  CHECK(bd_rate(a, better) < 0);
  CHECK(bd_rate(a, better, Interpolation::polynomial) < 0);
}

TEST_CASE("PCHIP integration is exact on straight lines and matches a hand-computed cubic segment") {
  // y = 2x + 1 on [0, 3]: integral over [0.5, 2.5] = (2.5^2 - 0.5^2) + 2 = 8.
  CHECK(integrate_curve({0, 1, 2, 3}, {1, 3, 5, 7}, 0.5, 2.5, Interpolation::pchip) == doctest::Approx(8));
  CHECK(integrate_curve({3, 0, 2, 1}, {7, 1, 5, 3}, 0.5, 2.5, Interpolation::polynomial) == doctest::Approx(8));
  // Two points: linear interpolation. Monotone data with a flat part stays flat (no overshoot).
  CHECK(integrate_curve({0, 1, 2}, {0, 1, 1}, 1, 2, Interpolation::pchip) == doctest::Approx(1));
  // Exact cubic y = x^3 through 4 points: the polynomial fit integrates it exactly.
  CHECK(integrate_curve({0, 1, 2, 3}, {0, 1, 8, 27}, 0, 3, Interpolation::polynomial) == doctest::Approx(81.0 / 4));
}

TEST_CASE("BD metrics reject bad curves") {
  RdCurve a = sample_curve();
  RdCurve one{{0.5}, {30}};
  CHECK_THROWS_AS(bd_rate(a, one), tiny::Error);
  RdCurve zero = a;
  zero.rate[0] = 0;
  CHECK_THROWS_AS(bd_rate(a, zero), tiny::Error);
  RdCurve far = a;
  for (double& q : far.quality) q += 100;
  CHECK_THROWS_AS(bd_rate(a, far), tiny::Error);
  RdCurve dup{{0.1, 0.2, 0.3}, {30, 30, 31}};
  CHECK_THROWS_AS(bd_rate(a, dup), tiny::Error);
}
