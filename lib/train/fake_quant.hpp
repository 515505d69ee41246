#pragma once
// Quantization-aware training: for each step the transforms' weights are swapped for their quantized
// values (the int8 or q4 layouts of `tiny convert --quantize`), the loss and its gradients are taken
// there, and the float weights are put back before the optimizer updates them (straight-through).
#include "codec/model.hpp"
#include "codec/quantize.hpp"

#include <vector>

namespace tiny::train {

class FakeQuantizer {
public:
  // Selects the parameters tiny convert would quantize (none when q is Quantization::none).
  FakeQuantizer(codec::CompressionModel& model, codec::Quantization q);
  // Replaces the selected weights by their quantized values, keeping the float values aside.
  void quantize();
  // Puts the float values back.
  void restore();
  // How many weight tensors are quantized.
  size_t count() const { return params_.size(); }

private:
  codec::Quantization q_;
  std::vector<std::pair<std::string, torch::Tensor>> params_;
  std::vector<torch::Tensor> saved_;
};

// Quantizes on construction and restores on destruction (also when the step throws).
class QuantizedScope {
public:
  explicit QuantizedScope(FakeQuantizer& q) : q_(q) { q_.quantize(); }
  ~QuantizedScope() { q_.restore(); }
  QuantizedScope(const QuantizedScope&) = delete;
  QuantizedScope& operator=(const QuantizedScope&) = delete;

private:
  FakeQuantizer& q_;
};

}  // namespace tiny::train
