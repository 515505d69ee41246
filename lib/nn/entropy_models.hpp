#pragma once
// The entropy models of the learned codecs (CompressAI's names and behaviour): the factorized
// "entropy bottleneck" and the Gaussian conditional. Each keeps its quantized CDF tables as the
// buffers "_quantized_cdf", "_offset" and "_cdf_length", built by update() with lib/entropy.
#include "entropy/cdf.hpp"
#include "nn/layers.hpp"

#include <torch/torch.h>

#include <utility>
#include <vector>

namespace tiny::nn {

// Likelihoods are bounded below by 1e-9, as in CompressAI.
constexpr double kLikelihoodBound = 1e-9;

// What both entropy models share: the CDF table buffers and the likelihood bound.
struct EntropyModel : torch::nn::Module {
  EntropyModel();
  // The tables as lib/entropy takes them; throws tiny::Error if update() was never run.
  std::vector<entropy::QuantizedCdf> cdfs() const;
  // Quantizes pmfs [tables, max_len] (lengths[i] used, tail[i] the tail mass, offsets[i] the first value)
  // into the table buffers.
  void set_tables(const torch::Tensor& pmf, const torch::Tensor& lengths, const torch::Tensor& tail,
                  const torch::Tensor& offsets);
  torch::Tensor _quantized_cdf, _offset, _cdf_length;
  LowerBound likelihood_lower_bound{nullptr};
};

// Per-channel learned density: a monotone MLP (CompressAI's filters 3,3,3,3: four hidden layers of
// 3) gives the cumulative, quantiles [-t, median, t] are learned by the auxiliary loss, evaluation
// rounds around the medians.
struct EntropyBottleneckImpl : EntropyModel {
  explicit EntropyBottleneckImpl(int64_t channels, double tail_mass = 1e-9, double init_scale = 10.0,
                                 int64_t hidden_layers = 4);
  // Quantized (eval: rounded around the medians; training: plus uniform noise) values and likelihoods.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x);
  // The auxiliary loss that moves the quantiles to the tail-mass targets.
  torch::Tensor loss();
  // Per-channel medians, shape [C].
  torch::Tensor medians() const;
  // Rebuilds the CDF tables from the learned density.
  void update();
  // Likelihood of the values [C, 1, n] (each channel through its own density).
  torch::Tensor likelihood(const torch::Tensor& values);

  int64_t channels;
  double tail_mass;
  // The density MLP, registered under CompressAI's names "_matrix0", "_bias0", "_factor0", ...
  std::vector<torch::Tensor> matrices, biases, factors;
  torch::Tensor quantiles, target;

private:
  torch::Tensor logits_cumulative(torch::Tensor x, bool stop_gradient);
};
TORCH_MODULE(EntropyBottleneck);

// Gaussian conditional on predicted scales (and means): 64 scales exp(linspace(ln .11, ln 256)), scale
// lower bound 0.11, tail mass 1e-9.
struct GaussianConditionalImpl : EntropyModel {
  GaussianConditionalImpl();
  // Quantized values and their likelihoods under N(means, scales) (means may be undefined: zero).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& scales,
                                                  const torch::Tensor& means = {});
  // P(value) of the Gaussian N(means, max(scales, 0.11)) integrated over [value - 0.5, value + 0.5].
  torch::Tensor likelihood(const torch::Tensor& values, const torch::Tensor& scales, const torch::Tensor& means);
  // Table index for each scale: the first table scale >= it (int32, same shape).
  torch::Tensor build_indexes(const torch::Tensor& scales) const;
  // Rebuilds the CDF tables from the scale table.
  void update();

  double tail_mass = 1e-9;
  torch::Tensor scale_table;
  LowerBound lower_bound_scale{nullptr};
};
TORCH_MODULE(GaussianConditional);

// The standard normal quantile (inverse CDF) of p in (0, 1), to double precision.
double normal_quantile(double p);

}  // namespace tiny::nn
