#include "onednn/layer_spec.hpp"

#include "core/error.hpp"

namespace tiny::onednn {

std::vector<LayerSpec> from_fixed_order(const std::vector<kernels::Layer>& layers) {
  using kernels::Layer;
  std::vector<LayerSpec> specs;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    LayerSpec s;
    s.out = l.out, s.in = l.in, s.kernel = l.kernel, s.stride = l.stride, s.padding = l.pad;
    s.weight = l.weight, s.bias = l.bias;
    switch (l.kind) {
      case Layer::Kind::conv: {
        const bool shuffled = i + 1 < layers.size() && layers[i + 1].kind == Layer::Kind::pixel_shuffle;
        if (shuffled) {
          const Layer& shuffle = layers[i + 1];
          if (shuffle.factor != 2 || !shuffle.phase_major || l.kernel != 3 || l.stride != 1 || l.pad != 1)
            throw Error("oneDNN transform: only a phase-major 2x pixel shuffle after a 3x3 convolution is supported");
          s.kind = LayerSpec::Kind::subpixel;
          ++i;
        }
        if (l.activation == kernels::Activation::relu) s.relu_slope = 0.0f;
        if (l.activation == kernels::Activation::leaky_relu) s.relu_slope = l.slope;
        break;
      }
      case Layer::Kind::gdn:
      case Layer::Kind::inverse_gdn:
        s.kind = LayerSpec::Kind::gdn;
        s.inverse = l.kind == Layer::Kind::inverse_gdn;
        s.kernel = 1, s.stride = 1, s.padding = 0;
        break;
      case Layer::Kind::pixel_shuffle:
        throw Error("oneDNN transform: a pixel shuffle must follow a 3x3 convolution");
    }
    specs.push_back(std::move(s));
  }
  return specs;
}

}  // namespace tiny::onednn
