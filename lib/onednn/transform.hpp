#pragma once
// Inference of a transform (analysis, synthesis, hyper-analysis) straight on oneDNN, from plain float
// weights (onednn/layer_spec.hpp): weights reordered once, activations kept in oneDNN's blocked layout
// from layer to layer, each GDN fused into one 1x1 convolution with its square root and product, the
// sub-pixel convolutions on Winograd 3x3 kernels where allowed. The torch codec (nn::TransformRunner)
// and the torch-free decoder's fast synthesis both run here. Torch-free.
#include "onednn/layer_spec.hpp"

#include <memory>
#include <vector>

namespace tiny::onednn {

// Which convolution kernels a compiled transform may use.
enum class ConvAlgorithm {
  direct,    // oneDNN's direct kernels only (the analysis transform: its output decides the bitstream)
  winograd,  // Winograd for 3x3 stride-1 convolutions where oneDNN has it, direct elsewhere
};

// The memory order of an image handed to or returned by a transform: [C][H][W] or [H][W][C].
enum class Layout { nchw, nhwc };

struct Shape {
  int channels = 0, height = 0, width = 0;
};

class Transform {
public:
  // Whether tiny was built with oneDNN (see docs/architecture.md for when it is).
  static bool available();
  // A compiled transform of `layers` (each GDN and sub-pixel layer checked against the one before);
  // nullptr when oneDNN is not built in or there are no layers.
  static std::unique_ptr<Transform> compile(std::vector<LayerSpec> layers, ConvAlgorithm algorithm);
  ~Transform();
  // The output's shape for an input of shape `in`.
  Shape output_shape(Shape in) const;
  // Runs one float32 image x of shape `in` into y (output_shape(in) values) on up to tiny's thread
  // count; throws (dnnl::error, tiny::Error: only a reference kernel) when oneDNN cannot run it, or
  // std::bad_alloc. Safe to call from several threads at once.
  void forward(const float* x, Shape in, Layout x_layout, float* y, Layout y_layout);

  struct Impl;

private:
  explicit Transform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tiny::onednn
