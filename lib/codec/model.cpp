// The base model, the shared transforms and the non-autoregressive models: bmshj2018-factorized,
// bmshj2018-hyperprior and mbt2018-mean.
#include "codec/model.hpp"

#include "core/error.hpp"
#include "nn/layers.hpp"

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tiny::codec {

using nn::conv;
using nn::Deconv2d;
using nn::GDN;
using nn::leaky_relu;

void CompressionModel::update() {
  for (nn::EntropyModel* m : entropy_models()) {
    if (auto* eb = dynamic_cast<nn::EntropyBottleneckImpl*>(m)) eb->update();
    if (auto* gc = dynamic_cast<nn::GaussianConditionalImpl*>(m)) gc->update();
  }
}

torch::Tensor CompressionModel::aux_loss() { return entropy_bottleneck->loss(); }

namespace {
// Runs a module on one thread: version 1 bitstreams were coded with single-threaded torch sums.
torch::Tensor run_serial(torch::nn::Sequential& module, const torch::Tensor& x) {
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  try {
    torch::Tensor y = module->forward(x);
    at::set_num_threads(threads);
    return y;
  } catch (...) {
    at::set_num_threads(threads);
    throw;
  }
}
}  // namespace

torch::Tensor CompressionModel::synthesize(const torch::Tensor& y_hat, bool exact) {
  if (!exact) return synthesis_.forward(g_s, y_hat.contiguous(torch::MemoryFormat::ChannelsLast));
  try {
    return exact_synthesis_.forward(g_s, y_hat);
  } catch (const Error& e) {
    throw Error(fmt::format("the exact reconstruction is not available for {}: its synthesis {}", config.arch, e.what()));
  }
}

torch::Tensor CompressionModel::hyper_synthesize(torch::nn::Sequential& h_s, const torch::Tensor& z_hat,
                                                 ParameterPath path) {
  if (h_s->is_training() || torch::GradMode::is_enabled()) return h_s->forward(z_hat);
  if (path == ParameterPath::torch_v1) return run_serial(h_s, z_hat);
  std::vector<torch::Tensor> images;
  for (int64_t i = 0; i < z_hat.size(0); ++i) images.push_back(hyper_synthesis_.forward(h_s, z_hat.slice(0, i, i + 1)));
  return torch::cat(images).to(z_hat.device());
}

namespace detail {

SymbolStream encode_factorized(nn::EntropyBottleneckImpl& eb, const torch::Tensor& z, torch::Tensor& z_hat) {
  torch::Tensor med = eb.medians().reshape({1, -1, 1, 1});
  torch::Tensor q = torch::round(z - med);
  z_hat = q + med;
  torch::Tensor channel = torch::arange(z.size(1), torch::kInt32).reshape({1, -1, 1, 1}).expand(z.sizes());
  torch::Tensor s = q.to(torch::kInt32).contiguous(), i = channel.contiguous();
  return {std::vector<int32_t>(s.data_ptr<int32_t>(), s.data_ptr<int32_t>() + s.numel()),
          std::vector<int32_t>(i.data_ptr<int32_t>(), i.data_ptr<int32_t>() + i.numel())};
}

torch::Tensor decode_factorized(nn::EntropyBottleneckImpl& eb, SymbolSource& source, int stream, int64_t h,
                                int64_t w) {
  const int64_t c = eb.channels;
  torch::Tensor channel = torch::arange(c, torch::kInt32).reshape({1, c, 1, 1}).expand({1, c, h, w}).contiguous();
  std::vector<int32_t> idx(channel.data_ptr<int32_t>(), channel.data_ptr<int32_t>() + channel.numel());
  std::vector<int32_t> values = source.read(stream, idx);
  torch::Tensor q = torch::from_blob(values.data(), {1, c, h, w}, torch::kInt32).to(torch::kFloat32);
  return q + eb.medians().reshape({1, -1, 1, 1});
}

torch::nn::Sequential bmshj_analysis(int64_t n, int64_t m) {
  return torch::nn::Sequential(conv(3, n), GDN(n, false), conv(n, n), GDN(n, false), conv(n, n), GDN(n, false),
                               conv(n, m));
}

torch::nn::Sequential bmshj_synthesis(int64_t n, int64_t m) {
  return torch::nn::Sequential(Deconv2d(m, n), GDN(n, true), Deconv2d(n, n), GDN(n, true), Deconv2d(n, n),
                               GDN(n, true), Deconv2d(n, 3));
}

torch::nn::Sequential mbt_hyper_analysis(int64_t n, int64_t m) {
  return torch::nn::Sequential(conv(m, n, 3, 1), leaky_relu(), conv(n, n), leaky_relu(), conv(n, n));
}

torch::nn::Sequential mbt_hyper_synthesis(int64_t n, int64_t m) {
  return torch::nn::Sequential(Deconv2d(n, m), leaky_relu(), Deconv2d(m, m * 3 / 2), leaky_relu(),
                               conv(m * 3 / 2, m * 2, 3, 1));
}

}  // namespace detail

namespace {

// bmshj2018-factorized: y coded with a per-channel factorized density.
class FactorizedPrior : public CompressionModel {
public:
  explicit FactorizedPrior(const ArchConfig& c) : CompressionModel(c) {
    g_a = register_module("g_a", detail::bmshj_analysis(c.N, c.M));
    g_s = register_module("g_s", detail::bmshj_synthesis(c.N, c.M));
    entropy_bottleneck = register_module("entropy_bottleneck", nn::EntropyBottleneck(c.M, 1e-9, 10.0, c.entropy_layers));
  }

  ForwardResult forward(const torch::Tensor& x) override {
    auto [y_hat, y_lik] = entropy_bottleneck(g_a->forward(x));
    return {g_s->forward(y_hat), {{"y", y_lik}}};
  }

  Encoded compress_latent(const torch::Tensor& y, const CodingOptions&) override {
    torch::Tensor y_hat;
    Encoded e;
    e.streams.push_back(detail::encode_factorized(*entropy_bottleneck, y, y_hat));
    e.latent_h = y.size(2), e.latent_w = y.size(3), e.y_hat = y_hat;
    return e;
  }

  torch::Tensor decompress(SymbolSource& source, int64_t h, int64_t w, const CodingOptions&) override {
    return detail::decode_factorized(*entropy_bottleneck, source, 0, h, w);
  }

  std::vector<nn::EntropyModel*> entropy_models() override { return {entropy_bottleneck.get()}; }
};

// bmshj2018-hyperprior (scales from |y|, ReLU) and mbt2018-mean (means and scales, leaky ReLU):
// z coded with the factorized density, y with a Gaussian conditional on h_s(z_hat).
// mbt2018-mean-vr adds gain units (Cui et al. 2021, "Asymmetric gained deep image compression with
// continuous rate adaptation"): one learned gain and inverse-gain vector over y's channels per rate
// level, y scaled by the gain before quantization and y_hat by the inverse gain before g_s, so one
// set of transforms and entropy models serves every rate.
class Hyperprior : public CompressionModel {
public:
  Hyperprior(const ArchConfig& c, bool with_means) : CompressionModel(c), means_(with_means) {
    const int64_t n = c.N, m = c.M;
    g_a = register_module("g_a", detail::bmshj_analysis(n, m));
    g_s = register_module("g_s", detail::bmshj_synthesis(n, m));
    if (means_) {
      h_a = register_module("h_a", detail::mbt_hyper_analysis(n, m));
      h_s = register_module("h_s", detail::mbt_hyper_synthesis(n, m));
    } else {
      h_a = register_module("h_a", torch::nn::Sequential(conv(m, n, 3, 1), torch::nn::ReLU(), conv(n, n),
                                                         torch::nn::ReLU(), conv(n, n)));
      h_s = register_module("h_s", torch::nn::Sequential(Deconv2d(n, n), torch::nn::ReLU(), Deconv2d(n, n),
                                                         torch::nn::ReLU(), conv(n, m, 3, 1), torch::nn::ReLU()));
    }
    entropy_bottleneck = register_module("entropy_bottleneck", nn::EntropyBottleneck(n, 1e-9, 10.0, c.entropy_layers));
    gaussian_conditional = register_module("gaussian_conditional", nn::GaussianConditional());
    if (const int levels = rate_levels(c.arch); levels > 0) {
      // Start where rate-distortion theory puts them: a quantization step ~ 1/sqrt(lambda).
      torch::Tensor lambdas = torch::empty({levels, 1});
      for (int l = 0; l < levels; ++l)
        lambdas[l][0] = ladder_lambda(l, zoo_lambda) / ladder_lambda((levels - 1) / 2, zoo_lambda);
      torch::Tensor g = torch::sqrt(lambdas).expand({levels, m}).contiguous();
      gain = register_parameter("gain", g.clone());
      inverse_gain = register_parameter("inverse_gain", 1.0 / g);
    }
  }

  ForwardResult forward(const torch::Tensor& x) override {
    torch::Tensor y = g_a->forward(x);
    if (gain.defined()) y = y * level_gains(gain, x.size(0));
    auto [z_hat, z_lik] = entropy_bottleneck(h_a->forward(means_ ? y : torch::abs(y)));
    auto [scales, means] = gaussian_params(hyper_synthesize(h_s, z_hat));
    auto [y_hat, y_lik] = gaussian_conditional(y, scales, means);
    if (mixed_rounding && is_training()) {
      torch::Tensor centre = means.defined() ? means : torch::zeros_like(y);
      y_hat = y + (torch::round(y - centre) + centre - y).detach();
    }
    if (gain.defined()) y_hat = y_hat * level_gains(inverse_gain, x.size(0));
    return {g_s->forward(y_hat), {{"y", y_lik}, {"z", z_lik}}};
  }

  Encoded compress_latent(const torch::Tensor& analyzed, const CodingOptions& options) override {
    torch::Tensor y = gain.defined() ? analyzed * coding_gains(gain, options.level) : analyzed, z_hat;
    Encoded e;
    e.streams.push_back(
        detail::encode_factorized(*entropy_bottleneck, hyper_analyze(h_a, means_ ? y : torch::abs(y)), z_hat));
    auto [scales, means] = gaussian_params(hyper_synthesize(h_s, z_hat, options.path));
    torch::Tensor q = torch::round(means.defined() ? y - means : y);
    e.y_hat = means.defined() ? q + means : q;
    if (gain.defined()) e.y_hat = e.y_hat * coding_gains(inverse_gain, options.level);
    torch::Tensor s = q.to(torch::kInt32).contiguous(), i = gaussian_conditional->build_indexes(scales).contiguous();
    e.streams.push_back({std::vector<int32_t>(s.data_ptr<int32_t>(), s.data_ptr<int32_t>() + s.numel()),
                         std::vector<int32_t>(i.data_ptr<int32_t>(), i.data_ptr<int32_t>() + i.numel())});
    e.latent_h = y.size(2), e.latent_w = y.size(3);
    return e;
  }

  torch::Tensor decompress(SymbolSource& source, int64_t h, int64_t w, const CodingOptions& options) override {
    torch::Tensor z_hat = detail::decode_factorized(*entropy_bottleneck, source, 0, h / 4, w / 4);
    auto [scales, means] = gaussian_params(hyper_synthesize(h_s, z_hat, options.path));
    torch::Tensor i = gaussian_conditional->build_indexes(scales).contiguous();
    std::vector<int32_t> values = source.read(1, std::vector<int32_t>(i.data_ptr<int32_t>(), i.data_ptr<int32_t>() + i.numel()));
    torch::Tensor q = torch::from_blob(values.data(), scales.sizes(), torch::kInt32).to(torch::kFloat32);
    torch::Tensor y_hat = means.defined() ? q + means : q;
    return gain.defined() ? y_hat * coding_gains(inverse_gain, options.level) : y_hat;
  }

  std::vector<nn::EntropyModel*> entropy_models() override {
    return {entropy_bottleneck.get(), gaussian_conditional.get()};
  }

  torch::nn::Sequential h_a{nullptr}, h_s{nullptr};
  nn::GaussianConditional gaussian_conditional{nullptr};
  torch::Tensor gain, inverse_gain;  // mbt2018-mean-vr: [levels, M]

private:
  // The gains at a real rate level, [1, M, 1, 1]: a level's own vector, or between two levels
  // g_lo^(1-t) * g_hi^t.
  torch::Tensor coding_gains(const torch::Tensor& gains, double level) const {
    const int64_t levels = gains.size(0);
    if (!(level >= 0 && level <= double(levels - 1)))
      throw Error(fmt::format("{}: rate level {} is outside 0..{}", config.arch, level, levels - 1));
    const int64_t lo = std::min<int64_t>(int64_t(level), levels - 1);
    const double t = level - double(lo);
    torch::Tensor g = t == 0 ? gains[lo]
                             : torch::exp((1.0 - t) * torch::log(gains[lo].abs()) + t * torch::log(gains[lo + 1].abs()));
    return g.reshape({1, -1, 1, 1});
  }
  // The gains of this forward's levels, [N, M, 1, 1].
  torch::Tensor level_gains(const torch::Tensor& gains, int64_t batch) const {
    torch::Tensor levels =
        forward_levels_.defined() ? forward_levels_ : torch::full({batch}, (gains.size(0) - 1) / 2, torch::kLong);
    if (levels.numel() != batch)
      throw Error(fmt::format("{}: set_forward_levels() gave {} levels for {} images", config.arch, levels.numel(), batch));
    return gains.index_select(0, levels.to(gains.device())).unsqueeze(-1).unsqueeze(-1);
  }


  // Splits h_s's output into scales and means (undefined for the scale-only hyperprior).
  std::pair<torch::Tensor, torch::Tensor> gaussian_params(const torch::Tensor& p) const {
    if (!means_) return {p, torch::Tensor()};
    auto parts = p.chunk(2, 1);
    return {parts[0], parts[1]};
  }
  bool means_;
};

}  // namespace

namespace {
int64_t built_parameter_count(ArchConfig c, int64_t n, int64_t m) {
  c.N = int(n), c.M = int(m);
  int64_t count = 0;
  for (const auto& p : make_model(c)->parameters()) count += p.numel();
  return count;
}
}  // namespace

int64_t parameter_count(const ArchConfig& c) {
  // count(N, M) = a N^2 + b M^2 + c N M + d N + e M + f, solved from six small models (sizes that
  // every architecture's channel fractions divide exactly).
  const int64_t at[6][2] = {{24, 24}, {48, 24}, {24, 48}, {48, 48}, {72, 24}, {24, 72}};
  double system[6][7];
  for (int i = 0; i < 6; ++i) {
    const double n = double(at[i][0]), m = double(at[i][1]);
    const double row[7] = {n * n, m * m, n * m, n, m, 1.0, double(built_parameter_count(c, at[i][0], at[i][1]))};
    std::copy(row, row + 7, system[i]);
  }
  for (int col = 0; col < 6; ++col) {  // Gauss-Jordan with partial pivoting
    int pivot = col;
    for (int r = col + 1; r < 6; ++r)
      if (std::fabs(system[r][col]) > std::fabs(system[pivot][col])) pivot = r;
    std::swap(system[col], system[pivot]);
    for (int r = 0; r < 6; ++r) {
      if (r == col) continue;
      const double f = system[r][col] / system[col][col];
      for (int k = col; k < 7; ++k) system[r][k] -= f * system[col][k];
    }
  }
  const double n = c.N, m = c.M;
  const double terms[6] = {n * n, m * m, n * m, n, m, 1.0};
  double count = 0;
  for (int i = 0; i < 6; ++i) count += terms[i] * system[i][6] / system[i][i];
  return int64_t(std::llround(count));
}

std::shared_ptr<CompressionModel> make_model(const ArchConfig& c) {
  if (c.arch == "bmshj2018-factorized") return std::make_shared<FactorizedPrior>(c);
  if (c.arch == "bmshj2018-hyperprior") return std::make_shared<Hyperprior>(c, false);
  if (c.arch == "mbt2018-mean" || c.arch == "mbt2018-mean-vr") return std::make_shared<Hyperprior>(c, true);
  if (c.arch == "mbt2018" || c.arch == "cheng2020-anchor" || c.arch == "cheng2020-attn")
    return detail::make_autoregressive(c);
  throw UsageError(fmt::format("unknown architecture '{}'", c.arch));
}

}  // namespace tiny::codec
