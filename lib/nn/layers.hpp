#pragma once
// Building blocks of the learned codecs, with CompressAI's parameter names so state_dicts match:
// the lower bound with its gradient rule, the non-negative reparametrisation, GDN / inverse GDN,
// masked convolution, the transposed convolution (run in sub-pixel form at inference) and the
// residual, upsampling and attention blocks of cheng2020.
#include <torch/torch.h>

#include <optional>

namespace tiny::nn {

// max(x, bound) whose gradient passes where x >= bound or where it pushes x upwards (CompressAI's rule).
torch::Tensor lower_bound(const torch::Tensor& x, const torch::Tensor& bound);

// Module form of lower_bound with the bound as buffer "bound".
struct LowerBoundImpl : torch::nn::Module {
  explicit LowerBoundImpl(double bound);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor bound;
};
TORCH_MODULE(LowerBound);

// Keeps a parameter >= minimum: stored as sqrt(value + pedestal), read as lower_bound(p)^2 - pedestal
// (pedestal 2^-36; buffers "pedestal" and "lower_bound.bound").
struct NonNegativeParametrizerImpl : torch::nn::Module {
  explicit NonNegativeParametrizerImpl(double minimum = 0.0);
  // The stored form of a value.
  torch::Tensor init(const torch::Tensor& value) const;
  // The value of a stored parameter.
  torch::Tensor forward(const torch::Tensor& stored);
  torch::Tensor pedestal;
  LowerBound lower_bound{nullptr};
};
TORCH_MODULE(NonNegativeParametrizer);

// Generalized divisive normalisation: y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2), or its inverse
// (multiplies). beta >= 1e-6, gamma >= 0; initial beta = 1, gamma = 0.1 I.
struct GDNImpl : torch::nn::Module {
  GDNImpl(int64_t channels, bool inverse);
  torch::Tensor forward(const torch::Tensor& x);
  bool inverse;
  torch::Tensor beta, gamma;
  NonNegativeParametrizer beta_reparam{nullptr}, gamma_reparam{nullptr};
};
TORCH_MODULE(GDN);

// Convolution whose kernel is masked to see only earlier positions in raster order: type 'A' excludes
// the centre, type 'B' includes it. Buffer "mask" as in CompressAI.
struct MaskedConv2dImpl : torch::nn::Module {
  MaskedConv2dImpl(int64_t in, int64_t out, int64_t kernel, char type);
  torch::Tensor forward(const torch::Tensor& x);
  // The kernel with the mask applied.
  torch::Tensor masked_weight() const;
  int64_t kernel;
  torch::Tensor weight, bias, mask;
};
TORCH_MODULE(MaskedConv2d);

// ConvTranspose2d(in, out, k, stride 2, padding k/2, output padding 1) with CompressAI's weight layout
// [in, out, k, k]. In training it runs as a transposed convolution; otherwise as the exactly
// equivalent sub-pixel form (a 3x3 convolution with rearranged weights, then pixel shuffle), unless
// `subpixel` is cleared (to measure against the transposed form).
struct Deconv2dImpl : torch::nn::Module {
  Deconv2dImpl(int64_t in, int64_t out, int64_t kernel = 5);
  torch::Tensor forward(const torch::Tensor& x);
  // Rebuilds the sub-pixel weights from the current parameters (done lazily at first inference).
  void refresh_subpixel();
  void train(bool on = true) override;
  int64_t kernel;
  bool subpixel = true;
  torch::Tensor weight, bias;

private:
  torch::Tensor sub_weight_, sub_bias_;
};
TORCH_MODULE(Deconv2d);

// The sub-pixel form of a stride-2 transposed convolution weight [in, out, k, k] (k odd, padding k/2,
// output padding 1): a [out*4, in, 3, 3] convolution kernel whose outputs pixel_shuffle(2) interleaves.
torch::Tensor deconv_to_subpixel_weight(const torch::Tensor& weight);

// Conv2d with kernel k, the given stride and padding k/2 (CompressAI's conv()).
torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel = 5, int64_t stride = 2);
// Conv2d 3x3 / 1x1 (CompressAI's conv3x3 / conv1x1).
torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride = 1);
torch::nn::Conv2d conv1x1(int64_t in, int64_t out, int64_t stride = 1);
// 3x3 convolution to out*r^2 channels then pixel shuffle r (children "0" and "1", as CompressAI's
// subpel_conv3x3 Sequential; a module of its own so it can sit inside a Sequential).
struct SubpelConv3x3Impl : torch::nn::Module {
  SubpelConv3x3Impl(int64_t in, int64_t out, int64_t r);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv{nullptr};
  torch::nn::PixelShuffle shuffle{nullptr};
};
TORCH_MODULE(SubpelConv3x3);
// Stride and zero padding of a convolution with a square kernel, equal strides and paddings on both
// axes, one group and no dilation; nullopt for any other (the compiled transforms take only these).
struct ConvGeometry {
  int64_t kernel = 1, stride = 1, padding = 0;
};
std::optional<ConvGeometry> square_conv_geometry(const torch::nn::Conv2dImpl& conv);
// Identifies the current values of a module's parameters (their storage and in-place version), so that
// compiled copies of a module know when to compile again.
std::vector<std::pair<const void*, uint32_t>> parameter_signature(torch::nn::Module& module);
// LeakyReLU with CompressAI's default slope 0.01.
torch::nn::LeakyReLU leaky_relu();

// Two 3x3 convolutions with leaky ReLUs and a 1x1 skip when the width changes.
struct ResidualBlockImpl : torch::nn::Module {
  ResidualBlockImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
};
TORCH_MODULE(ResidualBlock);

// Strided 3x3 convolution, leaky ReLU, 3x3 convolution, GDN, plus a strided 1x1 skip.
struct ResidualBlockWithStrideImpl : torch::nn::Module {
  ResidualBlockWithStrideImpl(int64_t in, int64_t out, int64_t stride = 2);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
  GDN gdn{nullptr};
};
TORCH_MODULE(ResidualBlockWithStride);

// Sub-pixel upsampling, leaky ReLU, 3x3 convolution, inverse GDN, plus a sub-pixel upsampled skip.
struct ResidualBlockUpsampleImpl : torch::nn::Module {
  ResidualBlockUpsampleImpl(int64_t in, int64_t out, int64_t upsample = 2);
  torch::Tensor forward(const torch::Tensor& x);
  SubpelConv3x3 subpel_conv{nullptr}, upsample{nullptr};
  torch::nn::Conv2d conv{nullptr};
  GDN igdn{nullptr};
};
TORCH_MODULE(ResidualBlockUpsample);

// Bottleneck residual unit of the attention block: 1x1 (N/2), ReLU, 3x3, ReLU, 1x1 (N), + x, ReLU.
struct ResidualUnitImpl : torch::nn::Module {
  explicit ResidualUnitImpl(int64_t n);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential conv{nullptr};
};
TORCH_MODULE(ResidualUnit);

// cheng2020's simplified attention: x + a(x) * sigmoid(b(x)), a = 3 residual units, b = 3 units + 1x1.
struct AttentionBlockImpl : torch::nn::Module {
  explicit AttentionBlockImpl(int64_t n);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential conv_a{nullptr}, conv_b{nullptr};
};
TORCH_MODULE(AttentionBlock);

}  // namespace tiny::nn
