#include "nn/entropy_models.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>

namespace tiny::nn {
namespace {

using torch::indexing::Slice;

torch::Tensor standardized_cumulative(const torch::Tensor& x) { return 0.5 * torch::erfc(-M_SQRT1_2 * x); }

// Rounds (evaluation) or adds uniform noise in [-0.5, 0.5) (training) around `center` (may be undefined).
torch::Tensor quantize(const torch::Tensor& x, bool training, const torch::Tensor& center) {
  if (training) return x + torch::empty_like(x).uniform_(-0.5, 0.5);
  if (!center.defined()) return torch::round(x);
  return torch::round(x - center) + center;
}

template <typename T>
std::vector<T> to_vector(const torch::Tensor& t) {
  torch::Tensor c = t.contiguous().cpu();
  return std::vector<T>(c.data_ptr<T>(), c.data_ptr<T>() + c.numel());
}

}  // namespace

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw Error("normal quantile needs 0 < p < 1");
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid * M_SQRT1_2) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

EntropyModel::EntropyModel() {
  _offset = register_buffer("_offset", torch::empty({0}, torch::kInt32));
  _quantized_cdf = register_buffer("_quantized_cdf", torch::empty({0}, torch::kInt32));
  _cdf_length = register_buffer("_cdf_length", torch::empty({0}, torch::kInt32));
  likelihood_lower_bound = register_module("likelihood_lower_bound", LowerBound(kLikelihoodBound));
}

std::vector<entropy::QuantizedCdf> EntropyModel::cdfs() const {
  if (_quantized_cdf.dim() != 2 || _offset.numel() != _quantized_cdf.size(0) ||
      _cdf_length.numel() != _quantized_cdf.size(0))
    throw Error("entropy model has no CDF tables (update() was not run)");
  const auto offsets = to_vector<int32_t>(_offset), lengths = to_vector<int32_t>(_cdf_length);
  const torch::Tensor cdf = _quantized_cdf.contiguous();
  return entropy::stored_cdfs(cdf.data_ptr<int32_t>(), offsets.size(), size_t(cdf.size(1)), offsets.data(),
                              lengths.data());
}

void EntropyModel::set_tables(const torch::Tensor& pmf, const torch::Tensor& lengths, const torch::Tensor& tail,
                              const torch::Tensor& offsets) {
  torch::Tensor p = pmf.to(torch::kFloat32).contiguous().cpu();
  std::vector<std::vector<float>> pmfs(p.size(0));
  for (int64_t i = 0; i < p.size(0); ++i) pmfs[i] = to_vector<float>(p[i]);
  auto tables = entropy::build_cdfs(pmfs, to_vector<int>(lengths.to(torch::kInt32)),
                                    to_vector<float>(tail.to(torch::kFloat32).reshape({-1})),
                                    to_vector<int32_t>(offsets.to(torch::kInt32)));
  size_t width = 0;
  for (const auto& t : tables) width = std::max(width, t.cdf.size());
  torch::Tensor cdf = torch::zeros({int64_t(tables.size()), int64_t(width)}, torch::kInt32);
  torch::Tensor len = torch::empty({int64_t(tables.size())}, torch::kInt32);
  for (size_t i = 0; i < tables.size(); ++i) {
    std::copy(tables[i].cdf.begin(), tables[i].cdf.end(), cdf[i].data_ptr<int32_t>());
    len[i] = int(tables[i].cdf.size());
  }
  torch::NoGradGuard no_grad;
  _quantized_cdf.set_(cdf);
  _cdf_length.set_(len);
  _offset.set_(offsets.to(torch::kInt32).contiguous().clone());
}

EntropyBottleneckImpl::EntropyBottleneckImpl(int64_t c, double tail, double init_scale, int64_t hidden_layers)
    : channels(c), tail_mass(tail) {
  if (hidden_layers < 1 || hidden_layers > 8) throw Error(fmt::format("entropy bottleneck: {} hidden layers", hidden_layers));
  std::vector<int64_t> filters(size_t(hidden_layers) + 2, 3);
  filters.front() = filters.back() = 1;
  const double scale = std::pow(init_scale, 1.0 / double(filters.size() - 1));
  for (size_t i = 0; i + 1 < filters.size(); ++i) {
    double init = std::log(std::expm1(1.0 / scale / double(filters[i + 1])));
    std::string n = std::to_string(i);
    matrices.push_back(register_parameter("_matrix" + n, torch::full({c, filters[i + 1], filters[i]}, init)));
    biases.push_back(register_parameter("_bias" + n, torch::empty({c, filters[i + 1], 1}).uniform_(-0.5, 0.5)));
    if (i + 2 < filters.size()) factors.push_back(register_parameter("_factor" + n, torch::zeros({c, filters[i + 1], 1})));
  }
  quantiles = register_parameter("quantiles",
                                 torch::tensor({-init_scale, 0.0, init_scale}, torch::kFloat32).repeat({c, 1, 1}));
  double t = std::log(2.0 / tail - 1.0);
  target = register_buffer("target", torch::tensor({-t, 0.0, t}, torch::kFloat32));
}

torch::Tensor EntropyBottleneckImpl::logits_cumulative(torch::Tensor logits, bool stop_gradient) {
  for (size_t i = 0; i < matrices.size(); ++i) {
    torch::Tensor m = matrices[i], b = biases[i];
    if (stop_gradient) m = m.detach(), b = b.detach();
    logits = torch::matmul(torch::softplus(m), logits) + b;
    if (i < factors.size()) {
      torch::Tensor f = factors[i];
      if (stop_gradient) f = f.detach();
      logits = logits + torch::tanh(f) * torch::tanh(logits);
    }
  }
  return logits;
}

torch::Tensor EntropyBottleneckImpl::likelihood(const torch::Tensor& values) {
  torch::Tensor lower = logits_cumulative(values - 0.5, false);
  torch::Tensor upper = logits_cumulative(values + 0.5, false);
  torch::Tensor sign = -torch::sign(lower + upper).detach();
  return torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower));
}

torch::Tensor EntropyBottleneckImpl::medians() const { return quantiles.index({Slice(), 0, 1}).detach(); }

std::pair<torch::Tensor, torch::Tensor> EntropyBottleneckImpl::forward(const torch::Tensor& x) {
  // [N, C, H, W] -> [C, 1, N*H*W], each channel through its own density.
  auto shape = x.permute({1, 0, 2, 3}).sizes().vec();
  torch::Tensor values = x.permute({1, 0, 2, 3}).reshape({channels, 1, -1});
  torch::Tensor outputs = quantize(values, is_training(), medians().reshape({channels, 1, 1}));
  torch::Tensor lik = likelihood_lower_bound(likelihood(outputs));
  auto back = [&](const torch::Tensor& t) { return t.reshape(shape).permute({1, 0, 2, 3}).contiguous(); };
  return {back(outputs), back(lik)};
}

torch::Tensor EntropyBottleneckImpl::loss() {
  return torch::abs(logits_cumulative(quantiles, true) - target).sum();
}

void EntropyBottleneckImpl::update() {
  torch::NoGradGuard no_grad;
  torch::Tensor q = quantiles.detach();
  torch::Tensor med = q.index({Slice(), 0, 1});
  torch::Tensor minima = torch::ceil(med - q.index({Slice(), 0, 0})).to(torch::kInt32).clamp_min(0);
  torch::Tensor maxima = torch::ceil(q.index({Slice(), 0, 2}) - med).to(torch::kInt32).clamp_min(0);
  torch::Tensor start = med - minima.to(torch::kFloat32);
  torch::Tensor length = maxima + minima + 1;
  int64_t max_length = length.max().item<int>();
  torch::Tensor samples = torch::arange(max_length, torch::kFloat32).unsqueeze(0) + start.unsqueeze(1);
  samples = samples.unsqueeze(1);  // [C, 1, L]
  torch::Tensor lower = logits_cumulative(samples - 0.5, true);
  torch::Tensor upper = logits_cumulative(samples + 0.5, true);
  torch::Tensor sign = -torch::sign(lower + upper);
  torch::Tensor pmf = torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower)).select(1, 0);
  torch::Tensor tail = torch::sigmoid(lower.index({Slice(), 0, Slice(0, 1)})) +
                       torch::sigmoid(-upper.index({Slice(), 0, Slice(-1, torch::indexing::None)}));
  set_tables(pmf, length, tail, -minima);
}

GaussianConditionalImpl::GaussianConditionalImpl() {
  scale_table = register_buffer(
      "scale_table", torch::exp(torch::linspace(std::log(0.11), std::log(256.0), 64, torch::kFloat64)).to(torch::kFloat32));
  lower_bound_scale = register_module("lower_bound_scale", LowerBound(0.11));
}

torch::Tensor GaussianConditionalImpl::likelihood(const torch::Tensor& values, const torch::Tensor& scales,
                                                  const torch::Tensor& means) {
  torch::Tensor v = torch::abs(means.defined() ? values - means : values);
  torch::Tensor s = lower_bound_scale(scales);
  return standardized_cumulative((0.5 - v) / s) - standardized_cumulative((-0.5 - v) / s);
}

std::pair<torch::Tensor, torch::Tensor> GaussianConditionalImpl::forward(const torch::Tensor& x,
                                                                         const torch::Tensor& scales,
                                                                         const torch::Tensor& means) {
  torch::Tensor outputs = quantize(x, is_training(), means.defined() ? means.detach() : means);
  return {outputs, likelihood_lower_bound(likelihood(outputs, scales, means))};
}

torch::Tensor GaussianConditionalImpl::build_indexes(const torch::Tensor& scales) const {
  torch::Tensor s = torch::maximum(scales, lower_bound_scale->bound.to(scales.dtype()));
  torch::Tensor bounds = scale_table.index({Slice(0, -1)}).to(scales.dtype()).contiguous();
  return torch::bucketize(s.contiguous(), bounds, /*out_int32=*/true, /*right=*/false);
}

void GaussianConditionalImpl::update() {
  torch::NoGradGuard no_grad;
  const double multiplier = -normal_quantile(tail_mass / 2);
  torch::Tensor center = torch::ceil(scale_table * multiplier).to(torch::kInt32);
  torch::Tensor length = 2 * center + 1;
  int64_t max_length = length.max().item<int>();
  torch::Tensor samples = torch::abs(torch::arange(max_length, torch::kInt32).unsqueeze(0) - center.unsqueeze(1));
  torch::Tensor s = scale_table.unsqueeze(1);
  torch::Tensor sf = samples.to(torch::kFloat32);
  torch::Tensor upper = standardized_cumulative((0.5 - sf) / s);
  torch::Tensor lower = standardized_cumulative((-0.5 - sf) / s);
  torch::Tensor pmf = upper - lower;
  set_tables(pmf, length, 2 * lower.index({Slice(), Slice(0, 1)}), -center);
}

}  // namespace tiny::nn
