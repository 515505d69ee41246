#pragma once
// The rate-distortion losses of a forward pass: lambda * 255^2 * MSE + bpp ("mse") or
// lambda * (1 - MS-SSIM) + bpp ("ms-ssim"), and a differentiable MS-SSIM.
#include "codec/model.hpp"

#include <torch/torch.h>

#include <string>

namespace tiny::train {

struct RdLoss {
  torch::Tensor loss, mse, bpp;  // scalars
  torch::Tensor ms_ssim;         // scalar, defined for the ms-ssim loss only
};

// The loss (`metric` "mse" or "ms-ssim") of reconstructing x [N, 3, H, W] in [0, 1] as r.x_hat.
RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, double lambda, const std::string& metric = "mse");
// The same loss with one lambda per image (lambdas [N]): the mean over the batch of each image's
// lambda * distortion + bpp (variable-rate training); mse, bpp and ms_ssim are batch means.
RdLoss rd_loss(const codec::ForwardResult& r, const torch::Tensor& x, const torch::Tensor& lambdas,
               const std::string& metric = "mse");
// Mean MS-SSIM of two [N, C, H, W] batches in [0, 1] (Gaussian window 11, sigma 1.5, five scales with
// Wang et al.'s weights, valid windows), differentiable; sides must be at least 176.
torch::Tensor ms_ssim(const torch::Tensor& a, const torch::Tensor& b);
// MS-SSIM of each image of two [N, C, H, W] batches, [N].
torch::Tensor ms_ssim_per_image(const torch::Tensor& a, const torch::Tensor& b);
// The smallest image side ms_ssim() accepts.
constexpr int kMsSsimMinSide = 176;
// CompressAI's MS-SSIM lambda of quality 1..8.
double ms_ssim_lambda(int quality);
// PSNR in dB of a mean squared error of [0, 1] images.
double psnr_from_mse(double mse);

}  // namespace tiny::train
