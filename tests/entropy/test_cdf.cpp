#include "core/error.hpp"
#include "entropy/cdf.hpp"
#include "entropy/model_cdfs.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny::entropy;

TEST_CASE("pmf_to_quantized_cdf matches CompressAI's rule on a hand-worked example") {
  // round(p * 65536) = 32768, 16384, 16384, 0 -> total 65536; the empty bin steals one count from
  // the first smallest bin above 1 (bin 1), shifting entries 2..3 down by one.
  auto cdf = pmf_to_quantized_cdf({0.5f, 0.25f, 0.25f, 0.0f});
  REQUIRE(cdf.size() == 5);
  CHECK(cdf == std::vector<uint32_t>{0, 32768, 49151, 65535, 65536});
}

TEST_CASE("pmf_to_quantized_cdf rescales when the rounded counts do not sum to 2^16") {
  auto cdf = pmf_to_quantized_cdf({1.0f, 1.0f});  // counts 65536, 65536 -> halves
  CHECK(cdf == std::vector<uint32_t>{0, 32768, 65536});
  auto three = pmf_to_quantized_cdf({1.0f / 3, 1.0f / 3, 1.0f / 3});
  CHECK(three.front() == 0);
  CHECK(three.back() == 65536);
  for (size_t i = 0; i + 1 < three.size(); ++i) CHECK(three[i + 1] - three[i] >= 21845);
}

TEST_CASE("quantized CDFs never have zero-width bins even for tiny probabilities") {
  std::vector<float> pmf(300, 1e-12f);
  pmf[150] = 1.0f;
  auto cdf = pmf_to_quantized_cdf(pmf);
  CHECK(cdf.back() == 65536);
  for (size_t i = 0; i + 1 < cdf.size(); ++i) CHECK(cdf[i + 1] > cdf[i]);
  QuantizedCdf q{cdf, -150};
  CHECK_NOTHROW(validate_cdf(q, "test"));
}

TEST_CASE("pmf_to_quantized_cdf rejects bad pmfs") {
  CHECK_THROWS_AS(pmf_to_quantized_cdf({}), tiny::Error);
  CHECK_THROWS_AS(pmf_to_quantized_cdf({0.0f, 0.0f}), tiny::Error);
  CHECK_THROWS_AS(pmf_to_quantized_cdf({0.5f, -0.1f}), tiny::Error);
  CHECK_THROWS_AS(pmf_to_quantized_cdf({0.5f, NAN}), tiny::Error);
  CHECK_THROWS_AS(pmf_to_quantized_cdf(std::vector<float>(70000, 1.0f)), tiny::Error);
}

TEST_CASE("build_cdfs appends the tail bin and keeps length and offset") {
  auto cdfs = build_cdfs({{0.2f, 0.6f, 0.2f, 9.0f}, {1.0f}}, {3, 1}, {0.01f, 0.001f}, {-1, 5});
  REQUIRE(cdfs.size() == 2);
  CHECK(cdfs[0].num_symbols() == 4);
  CHECK(cdfs[0].tail_symbol() == 3);
  CHECK(cdfs[0].offset == -1);
  CHECK(cdfs[1].num_symbols() == 2);
  CHECK(cdfs[1].offset == 5);
  CHECK_THROWS_AS(build_cdfs({{0.5f}}, {2}, {0.1f}, {0}), tiny::Error);
  CHECK_THROWS_AS(build_cdfs({{0.5f}}, {1}, {}, {0}), tiny::Error);
}

TEST_CASE("validate_cdf rejects malformed tables") {
  CHECK_THROWS_AS(validate_cdf(QuantizedCdf{{0}, 0}, "t"), tiny::Error);
  CHECK_THROWS_AS(validate_cdf(QuantizedCdf{{0, 100}, 0}, "t"), tiny::Error);
  CHECK_THROWS_AS(validate_cdf(QuantizedCdf{{0, 5, 5, 65536}, 0}, "t"), tiny::Error);
  CHECK_THROWS_AS(validate_cdf(QuantizedCdf{{1, 65536}, 0}, "t"), tiny::Error);
}

TEST_CASE("Gaussian scale table and tables follow CompressAI") {
  auto scales = gaussian_scale_table();
  REQUIRE(scales.size() == 64);
  CHECK(scales.front() == doctest::Approx(0.11));
  CHECK(scales.back() == doctest::Approx(256.0));
  auto cdfs = gaussian_cdfs(scales);
  REQUIRE(cdfs.size() == 64);
  // multiplier = -Phi^-1(5e-10) = 6.1094; centre = ceil(scale * multiplier).
  CHECK(cdfs.front().offset == -1);
  int center = int(std::ceil(256.0 * 6.109410204869));
  CHECK(cdfs.back().offset == -center);
  CHECK(cdfs.back().num_symbols() == 2 * center + 2);
  for (const auto& c : cdfs) CHECK_NOTHROW(validate_cdf(c, "gaussian"));
  for (const auto& c : factorized_cdfs(8)) CHECK_NOTHROW(validate_cdf(c, "factorized"));
}
