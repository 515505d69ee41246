#pragma once
// The torch models' transforms on tiny's fixed-order kernels (lib/kernels/fixed_order.hpp): outputs
// bit-identical on every machine, for the paths whose results must agree between encoder and decoder
// (the hyper-synthesis that gives the entropy parameters, and the synthesis in its exact mode).
#include "kernels/fixed_order.hpp"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace tiny::nn {

// The fixed-order layers of a Sequential of Conv2d, Deconv2d, SubpelConv3x3, GDN and (leaky) ReLU
// layers; throws tiny::Error naming the first layer of another kind.
std::vector<kernels::Layer> fixed_order_layers(torch::nn::Sequential& seq);
// [1, C, H, W] float32 tensor <-> channels-innermost feature map.
kernels::FeatureMap to_feature_map(const torch::Tensor& x);
torch::Tensor from_feature_map(const kernels::FeatureMap& f);

// Runs one transform on the fixed-order kernels, compiling it on first use and again whenever its
// parameters change (training, loading, quantization). Safe to call from several threads at once.
class FixedOrderRunner {
public:
  // seq(x) for one float32 image [1, C, H, W]; throws tiny::Error if seq has a layer the kernels lack.
  torch::Tensor forward(torch::nn::Sequential& seq, const torch::Tensor& x);

private:
  std::shared_ptr<const kernels::FixedOrderNet> compiled(torch::nn::Sequential& seq);

  std::mutex mutex_;  // guards the members below
  std::vector<std::pair<const void*, uint32_t>> signature_;
  std::shared_ptr<const kernels::FixedOrderNet> compiled_;
};

}  // namespace tiny::nn
