#pragma once
// The fixed-order layers (kernels/fixed_order.hpp) of CompressAI's layer types, built from their
// stored parameters: one home for these conversions, used by the torch models' fixed-order runner and
// by the torch-free decoder alike. Torch-free.
#include "kernels/fixed_order.hpp"

#include <vector>

namespace tiny::kernels {

// A stride-2 transposed convolution (weight [in][out][k][k], k odd up to 5, padding k/2, output
// padding 1; bias [out]) as its sub-pixel 3x3 convolution with output channels phase-major (each
// 16-channel block then holds one phase, whose zero taps the kernels skip), then the pixel shuffle.
std::vector<Layer> subpixel_deconv_layers(const std::vector<float>& weight, const std::vector<float>& bias, int in,
                                          int out, int kernel);
// CompressAI's non-negative parameter as it reads its stored form: max(stored, bound)^2 - pedestal.
std::vector<float> nonnegative_values(const std::vector<float>& stored, float bound, float pedestal);
// A GDN (or inverse GDN) layer of `channels` from its stored beta [C] and gamma [C][C] and the
// bounds and pedestals of their reparametrisations.
Layer gdn_layer(int channels, bool inverse, const std::vector<float>& beta, float beta_bound, float beta_pedestal,
                const std::vector<float>& gamma, float gamma_bound, float gamma_pedestal);

}  // namespace tiny::kernels
