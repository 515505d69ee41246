#include "train/loss.hpp"

#include "core/error.hpp"

#include <cmath>

namespace tiny::train {
namespace {

// Separable Gaussian blur (11 taps, sigma 1.5) of every channel, valid positions only.
torch::Tensor blur(const torch::Tensor& x) {
  const int64_t c = x.size(1);
  torch::Tensor g = torch::arange(11, x.options()) - 5.0;
  g = torch::exp(-(g * g) / (2.0 * 1.5 * 1.5));
  g = g / g.sum();
  torch::Tensor h = g.reshape({1, 1, 1, 11}).expand({c, 1, 1, 11}).contiguous();
  torch::Tensor v = g.reshape({1, 1, 11, 1}).expand({c, 1, 11, 1}).contiguous();
  namespace F = torch::nn::functional;
  return F::conv2d(F::conv2d(x, h, F::Conv2dFuncOptions().groups(c)), v, F::Conv2dFuncOptions().groups(c));
}

// Per-image SSIM and contrast-structure terms at one scale.
std::pair<torch::Tensor, torch::Tensor> ssim_terms(const torch::Tensor& a, const torch::Tensor& b) {
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  torch::Tensor mu_a = blur(a), mu_b = blur(b);
  torch::Tensor var_a = blur(a * a) - mu_a * mu_a, var_b = blur(b * b) - mu_b * mu_b;
  torch::Tensor cov = blur(a * b) - mu_a * mu_b;
  torch::Tensor cs = (2 * cov + c2) / (var_a + var_b + c2);
  torch::Tensor ssim = (2 * mu_a * mu_b + c1) / (mu_a * mu_a + mu_b * mu_b + c1) * cs;
  return {ssim.flatten(1).mean(1), cs.flatten(1).mean(1)};
}

}  // namespace

torch::Tensor ms_ssim(const torch::Tensor& a, const torch::Tensor& b) { return ms_ssim_per_image(a, b).mean(); }

torch::Tensor ms_ssim_per_image(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.size(2) < kMsSsimMinSide || a.size(3) < kMsSsimMinSide)
    throw UsageError("MS-SSIM needs images of at least 176x176 pixels");
  const double weights[5] = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  torch::Tensor x = a, y = b, result;
  for (int s = 0; s < 5; ++s) {
    auto [ssim, cs] = ssim_terms(x, y);
    torch::Tensor term = torch::pow(torch::relu(s < 4 ? cs : ssim), weights[s]);
    result = s == 0 ? term : result * term;
    if (s < 4) {
      x = torch::avg_pool2d(x, 2);
      y = torch::avg_pool2d(y, 2);
    }
  }
  return result;
}

double ms_ssim_lambda(int quality) {
  static const double lambdas[8] = {2.40, 4.58, 8.73, 16.64, 31.73, 60.50, 115.37, 220.00};
  if (quality < 1 || quality > 8) throw UsageError("MS-SSIM lambda: quality must be 1..8");
  return lambdas[quality - 1];
}

RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, double lambda, const std::string& metric) {
  const double pixels = double(x.size(0)) * double(x.size(2)) * double(x.size(3));
  RdLoss l;
  l.bpp = torch::zeros({}, x.options());
  for (const auto& [name, likelihood] : r.likelihoods) l.bpp = l.bpp + torch::log(likelihood).sum() / (-std::log(2.0) * pixels);
  l.mse = torch::mse_loss(r.x_hat, x);
  if (metric == "ms-ssim") {
    l.ms_ssim = ms_ssim(r.x_hat, x);
    l.loss = lambda * (1.0 - l.ms_ssim) + l.bpp;
  } else {
    l.loss = lambda * 255.0 * 255.0 * l.mse + l.bpp;
  }
  return l;
}

RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, const torch::Tensor& lambdas,
               const std::string& metric) {
  const double pixels = double(x.size(2)) * double(x.size(3));
  torch::Tensor bpp = torch::zeros({x.size(0)}, x.options());
  for (const auto& [name, likelihood] : r.likelihoods)
    bpp = bpp + torch::log(likelihood).flatten(1).sum(1) / (-std::log(2.0) * pixels);
  torch::Tensor mse = (r.x_hat - x).pow(2).flatten(1).mean(1);
  RdLoss l;
  l.bpp = bpp.mean();
  l.mse = mse.mean();
  if (metric == "ms-ssim") {
    torch::Tensor s = ms_ssim_per_image(r.x_hat, x);
    l.ms_ssim = s.mean();
    l.loss = (lambdas * (1.0 - s) + bpp).mean();
  } else {
    l.loss = (lambdas * (255.0 * 255.0) * mse + bpp).mean();
  }
  return l;
}

double psnr_from_mse(double mse) { return mse > 0 ? 10.0 * std::log10(1.0 / mse) : 100.0; }

}  // namespace tiny::train
