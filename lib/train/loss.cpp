#include "train/loss.hpp"

#include <cmath>

namespace tiny::train {

RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, double lambda) {
  const double pixels = double(x.size(0)) * double(x.size(2)) * double(x.size(3));
  RdLoss l;
  l.bpp = torch::zeros({}, x.options());
  for (const auto& [name, likelihood] : r.likelihoods) l.bpp = l.bpp + torch::log(likelihood).sum() / (-std::log(2.0) * pixels);
  l.mse = torch::mse_loss(r.x_hat, x);
  l.loss = lambda * 255.0 * 255.0 * l.mse + l.bpp;
  return l;
}

double psnr_from_mse(double mse) { return mse > 0 ? 10.0 * std::log10(1.0 / mse) : 100.0; }

}  // namespace tiny::train
