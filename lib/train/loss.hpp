#pragma once
// The rate-distortion loss of a forward pass.
#include "codec/model.hpp"

#include <torch/torch.h>

namespace tiny::train {

struct RdLoss {
  torch::Tensor loss, mse, bpp;  // scalars; loss = lambda * 255^2 * mse + bpp
};

// The loss of reconstructing x [N, 3, H, W] as r.x_hat with r's likelihoods.
RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, double lambda);
// PSNR in dB of a mean squared error of [0, 1] images.
double psnr_from_mse(double mse);

}  // namespace tiny::train
