#include "nn/onednn_transform.hpp"

#include "core/log.hpp"
#include "nn/layers.hpp"

#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

namespace tiny::nn {
namespace {

using onednn::LayerSpec;

// A tensor's values as float32, in its contiguous order.
std::vector<float> plain(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// A layer of `kind` with the weight [out, in, k, k] and bias [out].
LayerSpec spec(LayerSpec::Kind kind, const torch::Tensor& weight, const torch::Tensor& bias, int stride, int padding) {
  LayerSpec s;
  s.kind = kind;
  s.out = int(weight.size(0)), s.in = int(weight.size(1)), s.kernel = int(weight.size(2));
  s.stride = stride, s.padding = padding;
  s.weight = plain(weight), s.bias = plain(bias);
  return s;
}

// A square convolution with equal strides and paddings; nullopt for any other.
std::optional<LayerSpec> describe_conv(const torch::nn::Conv2dImpl& c) {
  const std::optional<ConvGeometry> g = square_conv_geometry(c);
  if (!g) return std::nullopt;
  torch::Tensor bias = c.bias.defined() ? c.bias : torch::zeros({c.weight.size(0)});
  return spec(LayerSpec::Kind::conv, c.weight, bias, int(g->stride), int(g->padding));
}

// The sub-pixel kernel with its outputs ordered (row phase, column phase, channel), so that each
// phase is a run of whole channel blocks the pixel shuffle moves as one.
LayerSpec describe_deconv(const Deconv2dImpl& d) {
  const int64_t in = d.weight.size(0), out = d.weight.size(1);
  torch::Tensor sub = deconv_to_subpixel_weight(d.weight.detach()).reshape({out, 4, in, 3, 3});
  return spec(LayerSpec::Kind::subpixel, sub.transpose(0, 1).reshape({4 * out, in, 3, 3}), d.bias.repeat({4}), 1, 1);
}

LayerSpec describe_gdn(GDNImpl& g) {
  const int64_t c = g.beta.size(0);
  LayerSpec s = spec(LayerSpec::Kind::gdn, g.gamma_reparam(g.gamma).reshape({c, c, 1, 1}), g.beta_reparam(g.beta), 1, 0);
  s.inverse = g.inverse;
  return s;
}

// Attaches a (leaky) ReLU to the convolution before it; false if there is none to take it.
bool fuse_relu(std::vector<LayerSpec>& layers, float slope) {
  if (layers.empty() || layers.back().kind == LayerSpec::Kind::gdn || layers.back().relu_slope) return false;
  layers.back().relu_slope = slope;
  return true;
}

std::optional<std::vector<LayerSpec>> describe(torch::nn::Sequential& seq) {
  torch::NoGradGuard no_grad;
  std::vector<LayerSpec> layers;
  for (const auto& child : seq->children()) {
    if (auto* c = dynamic_cast<torch::nn::Conv2dImpl*>(child.get())) {
      auto spec = describe_conv(*c);
      if (!spec) return std::nullopt;
      layers.push_back(std::move(*spec));
    } else if (auto* d = dynamic_cast<Deconv2dImpl*>(child.get())) {
      if (d->kernel % 2 == 0 || d->kernel > 5) return std::nullopt;
      layers.push_back(describe_deconv(*d));
    } else if (auto* g = dynamic_cast<GDNImpl*>(child.get())) {
      layers.push_back(describe_gdn(*g));
    } else if (auto* r = dynamic_cast<torch::nn::LeakyReLUImpl*>(child.get())) {
      if (!fuse_relu(layers, float(r->options.negative_slope()))) return std::nullopt;
    } else if (dynamic_cast<torch::nn::ReLUImpl*>(child.get())) {
      if (!fuse_relu(layers, 0.f)) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return layers;
}

bool enabled_by_environment() {
  const char* v = std::getenv("TINY_ONEDNN");
  return !v || std::string(v) != "0";
}

}  // namespace

bool OnednnTransform::available() { return onednn::Transform::available(); }

std::unique_ptr<OnednnTransform> OnednnTransform::compile(torch::nn::Sequential& seq, ConvAlgorithm algorithm) {
  auto layers = describe(seq);
  if (!layers) return nullptr;
  std::unique_ptr<onednn::Transform> transform = onednn::Transform::compile(std::move(*layers), algorithm);
  if (!transform) return nullptr;
  return std::unique_ptr<OnednnTransform>(new OnednnTransform(std::move(transform)));
}

torch::Tensor OnednnTransform::forward(const torch::Tensor& x) {
  try {
    const onednn::Shape in{int(x.size(1)), int(x.size(2)), int(x.size(3))};
    const onednn::Shape out = transform_->output_shape(in);
    const bool channels_last = x.is_contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor input = channels_last ? x : x.contiguous();
    torch::Tensor y = torch::empty({1, out.channels, out.height, out.width});
    transform_->forward(input.data_ptr<float>(), in, channels_last ? onednn::Layout::nhwc : onednn::Layout::nchw,
                        y.data_ptr<float>(), onednn::Layout::nchw);
    return y;
  } catch (const std::bad_alloc&) {
    throw;  // the image is too large: torch would not fit it either
  } catch (const std::exception& e) {  // dnnl::error, or a layer with only a reference kernel
    log::debug("oneDNN cannot run this transform ({}); torch runs it", e.what());
    return torch::Tensor();
  }
}

OnednnTransform::OnednnTransform(std::unique_ptr<onednn::Transform> transform) : transform_(std::move(transform)) {}
OnednnTransform::~OnednnTransform() = default;

std::shared_ptr<OnednnTransform> TransformRunner::compiled(torch::nn::Sequential& seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (unsupported_) return nullptr;
  auto signature = parameter_signature(*seq);
  if (!compiled_ || signature != signature_) {
    compiled_ = OnednnTransform::compile(seq, algorithm_);
    signature_ = std::move(signature);
    unsupported_ = !compiled_;
  }
  return compiled_;
}

torch::Tensor TransformRunner::forward(torch::nn::Sequential& seq, const torch::Tensor& x) {
  const bool applies = enabled_ && OnednnTransform::available() && enabled_by_environment() && !seq->is_training() &&
                       !torch::GradMode::is_enabled() && x.device().is_cpu() && x.scalar_type() == torch::kFloat32 &&
                       x.dim() == 4 && x.size(0) == 1;
  std::shared_ptr<OnednnTransform> fast = applies ? compiled(seq) : nullptr;
  if (!fast) return seq->forward(x);
  torch::Tensor y = fast->forward(x);
  if (y.defined()) return y;
  std::lock_guard<std::mutex> lock(mutex_);
  unsupported_ = true;
  compiled_.reset();
  return seq->forward(x);
}

}  // namespace tiny::nn
