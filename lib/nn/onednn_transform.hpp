#pragma once
// The torch models' transforms (analysis, synthesis, hyper-analysis) run on oneDNN (the library
// libtorch's own CPU convolutions run on) through the torch-free onednn::Transform: the torch layers
// are described as its layer specs, and it runs them. Results equal torch's up to float rounding and
// do not depend on the thread count.
#include "onednn/transform.hpp"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace tiny::nn {

using onednn::ConvAlgorithm;

class OnednnTransform {
public:
  // Whether tiny was built with oneDNN (see docs/architecture.md for when it is).
  static bool available();
  // A compiled copy of a Sequential of Conv2d, Deconv2d and GDN layers, with (leaky) ReLUs after
  // convolutions (float32, CPU); nullptr when oneDNN is not built in or a layer is of another kind.
  static std::unique_ptr<OnednnTransform> compile(torch::nn::Sequential& seq, ConvAlgorithm algorithm);
  ~OnednnTransform();
  // Runs one float32 CPU image [1, C, H, W] through the transform; an undefined tensor when oneDNN
  // cannot run it (torch then does).
  torch::Tensor forward(const torch::Tensor& x);

private:
  explicit OnednnTransform(std::unique_ptr<onednn::Transform> transform);
  std::unique_ptr<onednn::Transform> transform_;
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
