#include "nn/fixed_order_transform.hpp"

#include "core/error.hpp"
#include "kernels/layer_forms.hpp"
#include "nn/layers.hpp"

#include <fmt/format.h>

namespace tiny::nn {
namespace {

using kernels::Activation;
using kernels::Layer;

std::vector<float> values(const torch::Tensor& t) {
  torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

Layer conv_layer(const torch::Tensor& weight, const torch::Tensor& bias, int64_t stride, int64_t pad) {
  Layer l;
  l.kind = Layer::Kind::conv;
  l.out = int(weight.size(0)), l.in = int(weight.size(1)), l.kernel = int(weight.size(2));
  l.stride = int(stride), l.pad = int(pad);
  l.weight = values(weight);
  if (bias.defined()) l.bias = values(bias);
  return l;
}

Layer from_conv(torch::nn::Conv2dImpl& c, size_t index) {
  const std::optional<ConvGeometry> g = square_conv_geometry(c);
  if (!g)
    throw Error(fmt::format("layer {}: only square, zero-padded, ungrouped convolutions run on the fixed-order kernels",
                            index));
  return conv_layer(c.weight, c.bias, g->stride, g->padding);
}

Layer shuffle_layer(int channels, int factor, bool phase_major) {
  Layer l;
  l.kind = Layer::Kind::pixel_shuffle;
  l.out = channels, l.in = channels * factor * factor, l.factor = factor, l.phase_major = phase_major;
  return l;
}

void add_deconv(Deconv2dImpl& d, std::vector<Layer>& layers) {
  for (Layer& l : kernels::subpixel_deconv_layers(values(d.weight), values(d.bias), int(d.weight.size(0)),
                                                  int(d.weight.size(1)), int(d.kernel)))
    layers.push_back(std::move(l));
}

float scalar(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat32).reshape({-1})[0].item<float>(); }

Layer from_gdn(GDNImpl& g) {
  return kernels::gdn_layer(int(g.beta.size(0)), g.inverse, values(g.beta), scalar(g.beta_reparam->lower_bound->bound),
                            scalar(g.beta_reparam->pedestal), values(g.gamma),
                            scalar(g.gamma_reparam->lower_bound->bound), scalar(g.gamma_reparam->pedestal));
}

// Fuses an activation into the convolution before it (through a pixel shuffle, which it commutes with).
void attach(std::vector<Layer>& layers, Activation act, float slope, size_t index) {
  auto conv = layers.rbegin();
  if (conv != layers.rend() && conv->kind == Layer::Kind::pixel_shuffle) ++conv;
  if (conv == layers.rend() || conv->kind != Layer::Kind::conv || conv->activation != Activation::none)
    throw Error(fmt::format("layer {}: an activation must follow a convolution to run on the fixed-order kernels", index));
  conv->activation = act;
  conv->slope = slope;
}

}  // namespace

std::vector<Layer> fixed_order_layers(torch::nn::Sequential& seq) {
  torch::NoGradGuard no_grad;
  std::vector<Layer> layers;
  size_t index = 0;
  for (const auto& child : seq->children()) {
    if (auto* c = dynamic_cast<torch::nn::Conv2dImpl*>(child.get())) {
      layers.push_back(from_conv(*c, index));
    } else if (auto* d = dynamic_cast<Deconv2dImpl*>(child.get())) {
      if (d->kernel % 2 == 0) throw Error(fmt::format("layer {}: even transposed-convolution kernels are not supported", index));
      add_deconv(*d, layers);
    } else if (auto* s = dynamic_cast<SubpelConv3x3Impl*>(child.get())) {
      const int r = int(s->shuffle->options.upscale_factor());
      layers.push_back(from_conv(*s->conv, index));
      layers.push_back(shuffle_layer(layers.back().out / (r * r), r, false));
    } else if (auto* g = dynamic_cast<GDNImpl*>(child.get())) {
      layers.push_back(from_gdn(*g));
    } else if (auto* r = dynamic_cast<torch::nn::LeakyReLUImpl*>(child.get())) {
      attach(layers, Activation::leaky_relu, float(r->options.negative_slope()), index);
    } else if (dynamic_cast<torch::nn::ReLUImpl*>(child.get())) {
      attach(layers, Activation::relu, 0.0f, index);
    } else {
      throw Error(fmt::format("layer {} ({}) has no fixed-order kernel", index, child->name()));
    }
    ++index;
  }
  return layers;
}

kernels::FeatureMap to_feature_map(const torch::Tensor& x) {
  if (x.dim() != 4 || x.size(0) != 1) throw Error("fixed-order kernels take one image [1, C, H, W]");
  torch::Tensor hwc = x[0].detach().to(torch::kCPU, torch::kFloat32).permute({1, 2, 0}).contiguous();
  kernels::FeatureMap f;
  f.height = int(hwc.size(0)), f.width = int(hwc.size(1)), f.channels = int(hwc.size(2));
  f.data.assign(hwc.data_ptr<float>(), hwc.data_ptr<float>() + hwc.numel());
  return f;
}

torch::Tensor from_feature_map(const kernels::FeatureMap& f) {
  torch::Tensor hwc = torch::from_blob(const_cast<float*>(f.data.data()), {f.height, f.width, f.channels}, torch::kFloat32);
  return hwc.permute({2, 0, 1}).unsqueeze(0).contiguous();
}

std::shared_ptr<const kernels::FixedOrderNet> FixedOrderRunner::compiled(torch::nn::Sequential& seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto signature = parameter_signature(*seq);
  if (!compiled_ || signature != signature_) {
    compiled_ = std::make_shared<const kernels::FixedOrderNet>(fixed_order_layers(seq));
    signature_ = std::move(signature);
  }
  return compiled_;
}

torch::Tensor FixedOrderRunner::forward(torch::nn::Sequential& seq, const torch::Tensor& x) {
  std::shared_ptr<const kernels::FixedOrderNet> net = compiled(seq);
  return from_feature_map(net->forward(to_feature_map(x)));
}

}  // namespace tiny::nn
