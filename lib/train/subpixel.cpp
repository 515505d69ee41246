#include "train/subpixel.hpp"

#include "nn/layers.hpp"

namespace tiny::train {
namespace {

// A stride-2 transposed convolution in sub-pixel form, sharing the weight tensors of a Deconv2d.
struct SubpixelDeconvImpl : torch::nn::Module {
  explicit SubpixelDeconvImpl(const nn::Deconv2dImpl& d) : weight(d.weight), bias(d.bias) {
    register_parameter("weight", weight);
    register_parameter("bias", bias);
  }
  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor w = nn::deconv_to_subpixel_weight(weight);
    return torch::pixel_shuffle(torch::conv2d(x, w, bias.repeat_interleave(4), 1, 1), 2);
  }
  torch::Tensor weight, bias;
};
TORCH_MODULE(SubpixelDeconv);

}  // namespace

bool use_subpixel_synthesis(codec::CompressionModel& model) {
  torch::nn::Sequential g_s;
  for (const auto& child : model.g_s->children()) {
    if (auto d = std::dynamic_pointer_cast<nn::Deconv2dImpl>(child))
      g_s->push_back(SubpixelDeconv(*d));
    else if (auto gdn = std::dynamic_pointer_cast<nn::GDNImpl>(child))
      g_s->push_back(gdn);
    else
      return false;
  }
  g_s->train(model.is_training());
  model.replace_module("g_s", g_s.ptr());
  model.g_s = g_s;
  return true;
}

}  // namespace tiny::train
