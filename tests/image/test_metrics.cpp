#include "core/error.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny;
using namespace tiny::image;

namespace {
Image constant(int w, int h, uint8_t v) {
  Image img = Image::blank(w, h);
  std::fill(img.pixels.begin(), img.pixels.end(), v);
  return img;
}
}  // namespace

TEST_CASE("PSNR of a known error") {
  Image a = constant(16, 16, 100), b = constant(16, 16, 110);  // MSE 100
  CHECK(mse(a, b) == doctest::Approx(100.0));
  CHECK(psnr(a, b) == doctest::Approx(10 * std::log10(255.0 * 255.0 / 100.0)));
  CHECK(std::isinf(psnr(a, a)));
  CHECK_THROWS_AS(psnr(a, constant(8, 16, 1)), Error);
}

TEST_CASE("MS-SSIM of two constant images has a closed form") {
  // Constant images have zero variance, so cs = C2/C2 = 1 at every scale and only the luminance
  // term of the coarsest scale remains: MS-SSIM = l^w5, l = (2ab + C1)/(a² + b² + C1).
  // 256 is divisible by 16, so average pooling never pads and the images stay constant.
  const double C1 = (0.01 * 255) * (0.01 * 255);
  for (auto [a, b] : {std::pair{100, 110}, std::pair{10, 200}, std::pair{128, 128}}) {
    double l = (2.0 * a * b + C1) / (double(a) * a + double(b) * b + C1);
    double expected = std::pow(l, 0.1333);
    CHECK(ms_ssim(constant(256, 256, uint8_t(a)), constant(256, 256, uint8_t(b))) == doctest::Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("MS-SSIM is 1 for identical images, symmetric, and falls as noise grows") {
  Image a = test::make_test_image(200, 180, 1);
  CHECK(ms_ssim(a, a) == doctest::Approx(1.0));
  Image b = test::make_test_image(200, 180, 2);  // same picture, different noise
  CHECK(ms_ssim(a, b) == doctest::Approx(ms_ssim(b, a)).epsilon(1e-12));
  CHECK(ms_ssim(a, b) < 1.0);
  Image heavier = a;
  for (size_t i = 0; i < heavier.pixels.size(); i += 2) heavier.pixels[i] = uint8_t(255 - heavier.pixels[i]);
  CHECK(ms_ssim(a, heavier) < ms_ssim(a, b));
  CHECK(ms_ssim_db(0.99) == doctest::Approx(20.0));
}

TEST_CASE("MS-SSIM refuses images too small for five scales") {
  Image a = constant(160, 300, 5);
  CHECK_THROWS_WITH_AS(ms_ssim(a, a), doctest::Contains("above 160 pixels"), Error);
}
