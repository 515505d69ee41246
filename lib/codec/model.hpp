#pragma once
// The learned image codecs of the zoo as torch modules with CompressAI's structure and parameter
// names (g_a, g_s, h_a, h_s, entropy_bottleneck, gaussian_conditional, context_prediction,
// entropy_parameters). Models turn images into symbol streams and back; entropy coding of the
// streams is done by the caller (codec.cpp) with the models' CDF tables.
#include "codec/symbol_source.hpp"
#include "codec/zoo.hpp"
#include "nn/entropy_models.hpp"
#include "nn/fixed_order_transform.hpp"
#include "nn/onednn_transform.hpp"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tiny::codec {

// Symbols of one stream, each with the index of its CDF table.
struct SymbolStream {
  std::vector<int32_t> symbols, indexes;
};

// How the entropy parameters (the hyper-synthesis output that the Gaussian means and CDF indexes come
// from) are computed: on tiny's fixed-order kernels, bit-identical on every machine (`.tic` version 2),
// or on torch's kernels as `.tic` version 1 files were written (those decode only where the kernels
// give the same sums).
enum class ParameterPath { fixed_order, torch_v1 };

// How one image is coded: the entropy-parameter path, and for variable-rate models the rate level
// (0-based; a real number between two levels interpolates their gains exponentially).
struct CodingOptions {
  ParameterPath path = ParameterPath::fixed_order;
  double level = 0;
};

// Training view of a forward pass: the reconstruction and the likelihoods of each latent ("y", "z").
struct ForwardResult {
  torch::Tensor x_hat;
  std::vector<std::pair<std::string, torch::Tensor>> likelihoods;
};

// Encoder output: one stream per entropy model, the latent size and the latent the decoder rebuilds.
struct Encoded {
  std::vector<SymbolStream> streams;
  int64_t latent_h = 0, latent_w = 0;
  torch::Tensor y_hat;
};

class CompressionModel : public torch::nn::Module {
public:
  explicit CompressionModel(ArchConfig config) : config(std::move(config)) {}
  // Noisy (training) or rounded (eval) reconstruction and likelihoods of x [N, 3, H, W] in [0, 1].
  virtual ForwardResult forward(const torch::Tensor& x) = 0;
  // The symbol streams of one image [1, 3, H, W] (H, W multiples of 64); needs update() or loaded tables.
  Encoded compress(const torch::Tensor& x, const CodingOptions& options = {}) {
    return compress_latent(analyze(x), options);
  }
  // The symbol streams of a latent y = analyze(x) [1, M, h, w] (h, w multiples of 4).
  virtual Encoded compress_latent(const torch::Tensor& y, const CodingOptions& options = {}) = 0;
  // Rebuilds y_hat [1, M, h, w] from the streams.
  virtual torch::Tensor decompress(SymbolSource& source, int64_t latent_h, int64_t latent_w,
                                   const CodingOptions& options = {}) = 0;
  // The entropy models whose tables code stream 0, 1, ...
  virtual std::vector<nn::EntropyModel*> entropy_models() = 0;
  // Whether y's symbols are coded in wavefronts (the context models; `.tic` flag bit 0).
  virtual bool codes_in_wavefronts() const { return false; }
  // The latent g_a(x) of images being compressed (on oneDNN where it applies).
  torch::Tensor analyze(const torch::Tensor& x) { return analysis_.forward(g_a, x); }
  // The hyper-latent h_a(y) of images being compressed (on oneDNN where it applies).
  torch::Tensor hyper_analyze(torch::nn::Sequential& h_a, const torch::Tensor& y) {
    return hyper_analysis_.forward(h_a, y);
  }
  // The entropy parameters h_s(z_hat) of each image of a batch, by `path` (torch in training, where
  // gradients flow).
  torch::Tensor hyper_synthesize(torch::nn::Sequential& h_s, const torch::Tensor& z_hat,
                                 ParameterPath path = ParameterPath::fixed_order);
  // The image [1, 3, 16h, 16w] that y_hat decodes to (not clamped): on oneDNN where it applies, or on
  // the fixed-order kernels when `exact` (the same pixels on every machine).
  torch::Tensor synthesize(const torch::Tensor& y_hat, bool exact = false);
  // Runs analyze(), hyper_analyze() and synthesize() on oneDNN where it applies (default), or always on torch.
  void set_onednn(bool on) {
    analysis_.set_enabled(on);
    hyper_analysis_.set_enabled(on);
    synthesis_.set_enabled(on);
  }
  // Variable-rate models (rate_levels(arch) > 0): the level (0-based, int64 [N]) of each image of the
  // forward() passes that follow (never set: every image at the middle level).
  void set_forward_levels(torch::Tensor levels) { forward_levels_ = std::move(levels); }
  // Rebuilds every entropy model's CDF tables from the learned parameters.
  void update();
  // Sum of the entropy bottleneck's auxiliary (quantile) loss.
  torch::Tensor aux_loss();

  ArchConfig config;
  // Training: g_s sees y rounded around the means (straight-through gradient) while the rate term
  // keeps the uniform noise ("mixed" quantization), instead of the noisy y for both.
  bool mixed_rounding = false;
  torch::nn::Sequential g_a{nullptr}, g_s{nullptr};
  nn::EntropyBottleneck entropy_bottleneck{nullptr};

protected:
  torch::Tensor forward_levels_;

private:
  // The analyses' outputs decide the bitstream: direct kernels only, whose results do not depend on
  // the thread count. The synthesis only shapes pixels and takes Winograd's speed.
  nn::TransformRunner analysis_{nn::ConvAlgorithm::direct}, hyper_analysis_{nn::ConvAlgorithm::direct},
      synthesis_{nn::ConvAlgorithm::winograd};
  // The entropy parameters must be a function of the bitstream and the model file alone.
  nn::FixedOrderRunner hyper_synthesis_, exact_synthesis_;
};

// A freshly initialised model of the given architecture and size (throws tiny::UsageError if unknown).
std::shared_ptr<CompressionModel> make_model(const ArchConfig& config);
// About the number of parameter values a model of this configuration has (within 0.1%), without
// building it: every architecture's count is a quadratic in N and M (but for integer divisions of
// channel counts), fitted on small models. Lets a model file's claim be checked before allocating.
int64_t parameter_count(const ArchConfig& config);

// Shared steps of the models (model.cpp).
namespace detail {
// Rounds z around the bottleneck's medians: the stream (indexes = channel) and z_hat.
SymbolStream encode_factorized(nn::EntropyBottleneckImpl& eb, const torch::Tensor& z, torch::Tensor& z_hat);
// Reads a [1, C, h, w] latent coded by encode_factorized from stream `stream`.
torch::Tensor decode_factorized(nn::EntropyBottleneckImpl& eb, SymbolSource& source, int stream, int64_t h,
                                int64_t w);
// The analysis/synthesis transforms of bmshj2018 and mbt2018 (4 stride-2 convolutions, GDN between).
torch::nn::Sequential bmshj_analysis(int64_t n, int64_t m);
torch::nn::Sequential bmshj_synthesis(int64_t n, int64_t m);
// mbt2018's hyper-analysis and hyper-synthesis (leaky ReLU; the synthesis outputs 2M channels).
torch::nn::Sequential mbt_hyper_analysis(int64_t n, int64_t m);
torch::nn::Sequential mbt_hyper_synthesis(int64_t n, int64_t m);
// Factories of the autoregressive models (autoregressive.cpp).
std::shared_ptr<CompressionModel> make_autoregressive(const ArchConfig& config);
}  // namespace detail

}  // namespace tiny::codec
