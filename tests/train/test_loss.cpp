#include "core/error.hpp"
#include "train/loss.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny;

TEST_CASE("MS-SSIM is 1 for identical images, lower for distorted ones, and differentiable") {
  torch::manual_seed(1);
  torch::Tensor a = torch::rand({2, 3, 192, 192});
  CHECK(train::ms_ssim(a, a).item<double>() == doctest::Approx(1.0).epsilon(1e-5));
  torch::Tensor noisy = (a + 0.1 * torch::randn_like(a)).clamp(0, 1).requires_grad_(true);
  torch::Tensor m = train::ms_ssim(noisy, a);
  CHECK(m.item<double>() < 0.99);
  CHECK(m.item<double>() > 0.0);
  m.backward();
  CHECK(noisy.grad().abs().sum().item<double>() > 0);
  CHECK_THROWS_AS(train::ms_ssim(torch::rand({1, 3, 128, 128}), torch::rand({1, 3, 128, 128})), UsageError);
}

TEST_CASE("the rate-distortion loss adds lambda-weighted distortion to bits per pixel") {
  torch::Tensor x = torch::full({1, 3, 192, 192}, 0.5);
  codec::ForwardResult r;
  r.x_hat = x + 0.1;
  r.likelihoods = {{"y", torch::full({1, 4, 12, 12}, 0.5)}};
  train::RdLoss mse = train::rd_loss(r, x, 0.01);
  const double bpp = 4.0 * 12 * 12 / (192.0 * 192.0);
  CHECK(mse.bpp.item<double>() == doctest::Approx(bpp));
  CHECK(mse.mse.item<double>() == doctest::Approx(0.01));
  CHECK(mse.loss.item<double>() == doctest::Approx(0.01 * 255 * 255 * 0.01 + bpp));
  train::RdLoss ms = train::rd_loss(r, x, 2.0, "ms-ssim");
  CHECK(ms.loss.item<double>() == doctest::Approx(2.0 * (1.0 - ms.ms_ssim.item<double>()) + bpp));
  CHECK(train::psnr_from_mse(0.01) == doctest::Approx(20.0));
}
