#include "nn/layers.hpp"

#include <cmath>

namespace tiny::nn {
namespace {

using torch::indexing::Slice;

// max(x, bound) with CompressAI's gradient: passes where x >= bound or where the gradient is negative.
struct LowerBoundFunction : torch::autograd::Function<LowerBoundFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& bound) {
    ctx->save_for_backward({x, bound});
    return torch::maximum(x, bound);
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    const torch::Tensor& g = grads[0];
    torch::Tensor pass = (saved[0] >= saved[1]) | (g < 0);
    return {g * pass.to(g.scalar_type()), torch::Tensor()};
  }
};

// PyTorch's default uniform initialisation for a kernel with the given fan-in.
torch::Tensor uniform_init(at::IntArrayRef shape, int64_t fan_in) {
  double b = 1.0 / std::sqrt(double(fan_in));
  return torch::empty(shape).uniform_(-b, b);
}

}  // namespace

torch::Tensor lower_bound(const torch::Tensor& x, const torch::Tensor& bound) {
  if (!torch::GradMode::is_enabled() || !x.requires_grad()) return torch::maximum(x, bound);
  return LowerBoundFunction::apply(x, bound);
}

LowerBoundImpl::LowerBoundImpl(double b) { bound = register_buffer("bound", torch::tensor({float(b)})); }

torch::Tensor LowerBoundImpl::forward(const torch::Tensor& x) { return lower_bound(x, bound.to(x.dtype())); }

NonNegativeParametrizerImpl::NonNegativeParametrizerImpl(double minimum) {
  const double ped = std::pow(2.0, -36);  // (2^-18)^2
  pedestal = register_buffer("pedestal", torch::tensor({float(ped)}));
  lower_bound = register_module("lower_bound", LowerBound(std::sqrt(minimum + ped)));
}

torch::Tensor NonNegativeParametrizerImpl::init(const torch::Tensor& value) const {
  return torch::sqrt(torch::maximum(value + pedestal, pedestal));
}

torch::Tensor NonNegativeParametrizerImpl::forward(const torch::Tensor& stored) {
  torch::Tensor b = lower_bound(stored);
  return b * b - pedestal;
}

GDNImpl::GDNImpl(int64_t channels, bool inv) : inverse(inv) {
  beta_reparam = register_module("beta_reparam", NonNegativeParametrizer(1e-6));
  gamma_reparam = register_module("gamma_reparam", NonNegativeParametrizer(0.0));
  beta = register_parameter("beta", beta_reparam->init(torch::ones({channels})));
  gamma = register_parameter("gamma", gamma_reparam->init(0.1 * torch::eye(channels)));
}

torch::Tensor GDNImpl::forward(const torch::Tensor& x) {
  int64_t c = x.size(1);
  torch::Tensor b = beta_reparam(beta);
  torch::Tensor g = gamma_reparam(gamma).reshape({c, c, 1, 1});
  torch::Tensor norm = torch::conv2d(x * x, g, b);
  return x * (inverse ? torch::sqrt(norm) : torch::rsqrt(norm));
}

MaskedConv2dImpl::MaskedConv2dImpl(int64_t in, int64_t out, int64_t k, char type) : kernel(k) {
  TORCH_CHECK(type == 'A' || type == 'B', "mask type must be A or B");
  weight = register_parameter("weight", uniform_init({out, in, k, k}, in * k * k));
  bias = register_parameter("bias", uniform_init({out}, in * k * k));
  torch::Tensor m = torch::ones({out, in, k, k});
  m.index_put_({Slice(), Slice(), k / 2, Slice(k / 2 + (type == 'B' ? 1 : 0))}, 0.0);
  m.index_put_({Slice(), Slice(), Slice(k / 2 + 1)}, 0.0);
  mask = register_buffer("mask", m);
}

torch::Tensor MaskedConv2dImpl::masked_weight() const { return weight * mask; }

torch::Tensor MaskedConv2dImpl::forward(const torch::Tensor& x) {
  return torch::conv2d(x, masked_weight(), bias, 1, kernel / 2);
}

torch::Tensor deconv_to_subpixel_weight(const torch::Tensor& w) {
  const int64_t in = w.size(0), out = w.size(1), k = w.size(2), p = k / 2;
  TORCH_CHECK(k % 2 == 1 && k <= 5 && w.size(3) == k, "sub-pixel form needs an odd kernel of at most 5");
  torch::Tensor sub = torch::zeros({out, 2, 2, in, 3, 3}, w.options());
  for (int64_t ry = 0; ry < 2; ++ry)
    for (int64_t rx = 0; rx < 2; ++rx)
      for (int64_t t = 0; t < 3; ++t)
        for (int64_t u = 0; u < 3; ++u) {
          // Output row 2q+ry reads input row q+(t-1) through kernel row ry + p - 2(t-1).
          int64_t ky = ry + p - 2 * (t - 1), kx = rx + p - 2 * (u - 1);
          if (ky < 0 || ky >= k || kx < 0 || kx >= k) continue;
          sub.index_put_({Slice(), ry, rx, Slice(), t, u}, w.index({Slice(), Slice(), ky, kx}).t());
        }
  return sub.reshape({out * 4, in, 3, 3});
}

Deconv2dImpl::Deconv2dImpl(int64_t in, int64_t out, int64_t k) : kernel(k) {
  weight = register_parameter("weight", uniform_init({in, out, k, k}, out * k * k));
  bias = register_parameter("bias", uniform_init({out}, out * k * k));
}

void Deconv2dImpl::refresh_subpixel() {
  torch::NoGradGuard no_grad;
  sub_weight_ = deconv_to_subpixel_weight(weight.detach()).contiguous(torch::MemoryFormat::ChannelsLast);
  sub_bias_ = bias.detach().repeat_interleave(4).contiguous();
}

void Deconv2dImpl::train(bool on) {
  torch::nn::Module::train(on);
  sub_weight_ = sub_bias_ = torch::Tensor();
}

torch::Tensor Deconv2dImpl::forward(const torch::Tensor& x) {
  if (!subpixel || is_training() || torch::GradMode::is_enabled())
    return torch::conv_transpose2d(x, weight, bias, 2, kernel / 2, 1);
  if (!sub_weight_.defined()) refresh_subpixel();
  return torch::pixel_shuffle(torch::conv2d(x, sub_weight_, sub_bias_, 1, 1), 2);
}

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2));
}

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) { return conv(in, out, 3, stride); }

torch::nn::Conv2d conv1x1(int64_t in, int64_t out, int64_t stride) { return conv(in, out, 1, stride); }

SubpelConv3x3Impl::SubpelConv3x3Impl(int64_t in, int64_t out, int64_t r) {
  conv = register_module("0", conv3x3(in, out * r * r));
  shuffle = register_module("1", torch::nn::PixelShuffle(r));
}

torch::Tensor SubpelConv3x3Impl::forward(const torch::Tensor& x) { return shuffle(conv(x)); }

namespace {
// The value of a variant if it holds a T, else nullptr (torch's variants predate std::get_if).
template <typename T, typename Variant>
const T* alternative(const Variant& v) {
  const T* held = nullptr;
  visit(
      [&](const auto& a) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, T>) held = &a;
      },
      v);
  return held;
}
}  // namespace

std::optional<ConvGeometry> square_conv_geometry(const torch::nn::Conv2dImpl& c) {
  const auto& o = c.options;
  const auto* padding = alternative<torch::ExpandingArray<2>>(o.padding());
  if (!padding || o.groups() != 1 || (*o.dilation())[0] != 1 || (*o.dilation())[1] != 1 ||
      (*o.kernel_size())[0] != (*o.kernel_size())[1] || (*o.stride())[0] != (*o.stride())[1] ||
      (**padding)[0] != (**padding)[1] || !alternative<torch::enumtype::kZeros>(o.padding_mode()))
    return std::nullopt;
  return ConvGeometry{(*o.kernel_size())[0], (*o.stride())[0], (**padding)[0]};
}

std::vector<std::pair<const void*, uint32_t>> parameter_signature(torch::nn::Module& module) {
  std::vector<std::pair<const void*, uint32_t>> s;
  for (const auto& p : module.parameters())
    s.emplace_back(p.data_ptr(), torch::autograd::impl::version_counter(p).current_version());
  return s;
}

torch::nn::LeakyReLU leaky_relu() { return torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.01)); }

ResidualBlockImpl::ResidualBlockImpl(int64_t in, int64_t out) {
  conv1 = register_module("conv1", conv3x3(in, out));
  conv2 = register_module("conv2", conv3x3(out, out));
  if (in != out) skip = register_module("skip", conv1x1(in, out));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor out = torch::leaky_relu(conv2(torch::leaky_relu(conv1(x), 0.01)), 0.01);
  return out + (skip ? skip(x) : x);
}

ResidualBlockWithStrideImpl::ResidualBlockWithStrideImpl(int64_t in, int64_t out, int64_t stride) {
  conv1 = register_module("conv1", conv3x3(in, out, stride));
  conv2 = register_module("conv2", conv3x3(out, out));
  gdn = register_module("gdn", GDN(out, false));
  if (stride != 1 || in != out) skip = register_module("skip", conv1x1(in, out, stride));
}

torch::Tensor ResidualBlockWithStrideImpl::forward(const torch::Tensor& x) {
  torch::Tensor out = gdn(conv2(torch::leaky_relu(conv1(x), 0.01)));
  return out + (skip ? skip(x) : x);
}

ResidualBlockUpsampleImpl::ResidualBlockUpsampleImpl(int64_t in, int64_t out, int64_t r) {
  subpel_conv = register_module("subpel_conv", SubpelConv3x3(in, out, r));
  conv = register_module("conv", conv3x3(out, out));
  igdn = register_module("igdn", GDN(out, true));
  upsample = register_module("upsample", SubpelConv3x3(in, out, r));
}

torch::Tensor ResidualBlockUpsampleImpl::forward(const torch::Tensor& x) {
  torch::Tensor out = igdn(conv(torch::leaky_relu(subpel_conv(x), 0.01)));
  return out + upsample(x);
}

ResidualUnitImpl::ResidualUnitImpl(int64_t n) {
  conv = register_module("conv", torch::nn::Sequential(conv1x1(n, n / 2), torch::nn::ReLU(), conv3x3(n / 2, n / 2),
                                                       torch::nn::ReLU(), conv1x1(n / 2, n)));
}

torch::Tensor ResidualUnitImpl::forward(const torch::Tensor& x) { return torch::relu(conv->forward(x) + x); }

AttentionBlockImpl::AttentionBlockImpl(int64_t n) {
  conv_a = register_module("conv_a", torch::nn::Sequential(ResidualUnit(n), ResidualUnit(n), ResidualUnit(n)));
  conv_b = register_module("conv_b",
                           torch::nn::Sequential(ResidualUnit(n), ResidualUnit(n), ResidualUnit(n), conv1x1(n, n)));
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  return x + conv_a->forward(x) * torch::sigmoid(conv_b->forward(x));
}

}  // namespace tiny::nn
