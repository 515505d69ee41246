#pragma once
// Inference of the analysis, synthesis and hyper-analysis transforms straight on oneDNN (the library libtorch's own CPU
// convolutions run on): weights reordered once, activations kept in oneDNN's blocked layout from layer
// to layer, each GDN fused into one 1x1 convolution with its square root and product, the sub-pixel
// transposed convolutions on Winograd 3x3 kernels. Results equal torch's up to float rounding and do
// not depend on the thread count.
#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace tiny::nn {

// Which convolution kernels a compiled transform may use.
enum class ConvAlgorithm {
  direct,    // oneDNN's direct kernels only (the analysis transform: its output decides the bitstream)
  winograd,  // Winograd for 3x3 stride-1 convolutions where oneDNN has it, direct elsewhere
};

class OnednnTransform {
public:
  // Whether tiny was built with oneDNN (see docs/architecture.md for when it is).
  static bool available();
  // A compiled copy of a Sequential of Conv2d, Deconv2d and GDN layers, with (leaky) ReLUs after
  // convolutions (float32, CPU); nullptr when oneDNN is not built in or a layer is of another kind.
  static std::unique_ptr<OnednnTransform> compile(torch::nn::Sequential& seq, ConvAlgorithm algorithm);
  ~OnednnTransform();
  // Runs one float32 CPU image [1, C, H, W] through the transform.
  torch::Tensor forward(const torch::Tensor& x);

  struct Impl;

private:
  explicit OnednnTransform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Runs one transform for inference: through its compiled oneDNN copy when that applies (built in,
// enabled, CPU float32, one image, no autograd), else through torch. Recompiles when the parameters
// change (training, loading, quantization). Safe to call from several threads at once.
class TransformRunner {
public:
  explicit TransformRunner(ConvAlgorithm algorithm) : algorithm_(algorithm) {}
  // seq(x), by oneDNN when possible.
  torch::Tensor forward(torch::nn::Sequential& seq, const torch::Tensor& x);
  // Turns the oneDNN path on (default) or off (torch only, for measuring and comparing).
  void set_enabled(bool on) { enabled_ = on; }

private:
  // The compiled transform for the current parameters (nullptr: torch runs it).
  std::shared_ptr<OnednnTransform> compiled(torch::nn::Sequential& seq);

  ConvAlgorithm algorithm_;
  std::atomic<bool> enabled_{true};
  std::mutex mutex_;  // guards the members below
  bool unsupported_ = false;
  std::vector<std::pair<const void*, uint32_t>> signature_;
  std::shared_ptr<OnednnTransform> compiled_;
};

}  // namespace tiny::nn
