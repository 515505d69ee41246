#include "decoder/transforms.hpp"

#include "kernels/layer_forms.hpp"

#include <string>

namespace tiny::decoder {
namespace {

using kernels::Activation;
using kernels::Layer;

// Transposed convolution `prefix` (weight [in, out, k, k]) in its sub-pixel form.
void add_deconv(std::vector<Layer>& layers, const TensorSet& t, const std::string& prefix, int in, int out) {
  const int k = int(t.shape(prefix + ".weight").size() == 4 ? t.shape(prefix + ".weight")[2] : 0);
  for (Layer& l : kernels::subpixel_deconv_layers(t.floats(prefix + ".weight", {in, out, k, k}),
                                                  t.floats(prefix + ".bias", {out}), in, out, k))
    layers.push_back(std::move(l));
}

// Stride-1 convolution `prefix` with padding k/2 (CompressAI's conv(in, out, k, 1)).
void add_conv(std::vector<Layer>& layers, const TensorSet& t, const std::string& prefix, int in, int out) {
  Layer l;
  l.kind = Layer::Kind::conv;
  l.in = in, l.out = out;
  l.kernel = int(t.shape(prefix + ".weight").size() == 4 ? t.shape(prefix + ".weight")[2] : 0);
  l.stride = 1, l.pad = l.kernel / 2;
  l.weight = t.floats(prefix + ".weight", {out, in, l.kernel, l.kernel});
  l.bias = t.floats(prefix + ".bias", {out});
  layers.push_back(std::move(l));
}

void add_inverse_gdn(std::vector<Layer>& layers, const TensorSet& t, const std::string& prefix, int channels) {
  layers.push_back(kernels::gdn_layer(
      channels, true, t.floats(prefix + ".beta", {channels}), t.scalar(prefix + ".beta_reparam.lower_bound.bound"),
      t.scalar(prefix + ".beta_reparam.pedestal"), t.floats(prefix + ".gamma", {channels, channels}),
      t.scalar(prefix + ".gamma_reparam.lower_bound.bound"), t.scalar(prefix + ".gamma_reparam.pedestal")));
}

// The activation after the last convolution (the one before a pixel shuffle, which it commutes with).
void activate(std::vector<Layer>& layers, Activation a) {
  Layer& conv = layers.back().kind == Layer::Kind::pixel_shuffle ? layers[layers.size() - 2] : layers.back();
  conv.activation = a;
  conv.slope = float(0.01);  // CompressAI's LeakyReLU slope (unused by ReLU)
  if (a == Activation::relu) conv.slope = 0.0f;
}

}  // namespace

std::vector<Layer> synthesis_layers(const TensorSet& t, int N, int M) {
  std::vector<Layer> layers;
  add_deconv(layers, t, "g_s.0", M, N);
  add_inverse_gdn(layers, t, "g_s.1", N);
  add_deconv(layers, t, "g_s.2", N, N);
  add_inverse_gdn(layers, t, "g_s.3", N);
  add_deconv(layers, t, "g_s.4", N, N);
  add_inverse_gdn(layers, t, "g_s.5", N);
  add_deconv(layers, t, "g_s.6", N, 3);
  return layers;
}

std::vector<Layer> hyper_synthesis_layers(const TensorSet& t, int N, int M, bool means) {
  std::vector<Layer> layers;
  if (means) {
    add_deconv(layers, t, "h_s.0", N, M);
    activate(layers, Activation::leaky_relu);
    add_deconv(layers, t, "h_s.2", M, M * 3 / 2);
    activate(layers, Activation::leaky_relu);
    add_conv(layers, t, "h_s.4", M * 3 / 2, 2 * M);
  } else {
    add_deconv(layers, t, "h_s.0", N, N);
    activate(layers, Activation::relu);
    add_deconv(layers, t, "h_s.2", N, N);
    activate(layers, Activation::relu);
    add_conv(layers, t, "h_s.4", N, M);
    activate(layers, Activation::relu);
  }
  return layers;
}

}  // namespace tiny::decoder
