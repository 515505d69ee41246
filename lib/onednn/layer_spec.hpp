#pragma once
// One layer of a transform compiled onto oneDNN (onednn/transform.hpp), with its weights as plain
// float32 buffers, and the conversion from the fixed-order kernels' layer lists. Torch-free.
#include "kernels/fixed_order.hpp"

#include <optional>
#include <vector>

namespace tiny::onednn {

struct LayerSpec {
  enum class Kind {
    conv,      // square kernel, stride, zero padding; weight [out][in][k][k], bias [out]
    subpixel,  // a 3x3 stride-1 convolution to 4 phases of out / 4 channels (weight rows phase-major), then
               // the pixel shuffle that interleaves them into a 2x larger image
    gdn,       // GDN (inverse: x * sqrt, else x / sqrt of beta + gamma x^2); weight gamma [out][in], bias beta
  };
  Kind kind = Kind::conv;
  int out = 0, in = 0, kernel = 1, stride = 1, padding = 0;
  bool inverse = false;
  std::optional<float> relu_slope;  // conv, subpixel: a (leaky) ReLU applied to the output
  std::vector<float> weight, bias;
};

// The specs of a fixed-order layer list (convolutions, phase-major pixel shuffles after a 3x3
// convolution, GDNs); throws tiny::Error for a layer that has no oneDNN form here.
std::vector<LayerSpec> from_fixed_order(const std::vector<kernels::Layer>& layers);

}  // namespace tiny::onednn
