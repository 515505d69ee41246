#include "convert/low_rank.hpp"

#include "core/text.hpp"
#include "core/error.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cstring>

namespace tiny::convert {
namespace {

torch::Tensor orthonormal(const torch::Tensor& y) { return std::get<0>(torch::linalg_qr(y, "reduced")); }

bool is_transform_weight(const codec::TensorRecord& r) {
  if (r.dtype == codec::DType::i32 || (r.shape.size() != 2 && r.shape.size() != 4)) return false;
  if (!ends_with(r.name, ".weight")) return false;
  for (const char* prefix : {"g_a.", "g_s.", "h_a.", "h_s.", "entropy_parameters."})
    if (r.name.rfind(prefix, 0) == 0) return true;
  return false;
}

torch::Tensor record_matrix(const codec::TensorRecord& r) {
  auto type = r.dtype == codec::DType::f16 ? torch::kHalf : torch::kFloat32;
  torch::Tensor t = torch::empty(r.shape, type);
  std::memcpy(t.data_ptr(), r.data.data(), r.data.size());
  return t.to(torch::kFloat32).reshape({r.shape[0], -1});
}

void store_matrix(codec::TensorRecord& r, const torch::Tensor& m) {
  torch::Tensor t = m.reshape(r.shape).to(r.dtype == codec::DType::f16 ? torch::kHalf : torch::kFloat32).contiguous();
  std::memcpy(r.data.data(), t.data_ptr(), r.data.size());
}

}  // namespace

torch::Tensor randomized_range(const torch::Tensor& a, int64_t k, const RsvdOptions& o) {
  const int64_t m = a.size(0), n = a.size(1);
  const int64_t l = std::min({k + o.oversample, m, n});
  auto gen = at::detail::createCPUGenerator(o.seed);
  torch::Tensor omega = at::randn({n, l}, gen, torch::kFloat32);
  torch::Tensor q = orthonormal(a.matmul(omega));
  for (int64_t i = 0; i < o.power_iterations; ++i) {
    torch::Tensor z = orthonormal(a.t().matmul(q));
    q = orthonormal(a.matmul(z));
  }
  return q;
}

Factorization randomized_svd(const torch::Tensor& a, int64_t k, const RsvdOptions& o) {
  torch::NoGradGuard no_grad;
  torch::Tensor q = randomized_range(a, k, o);
  auto [ub, s, vh] = torch::linalg_svd(q.t().matmul(a), false);
  k = std::min(k, s.size(0));
  return {q.matmul(ub.slice(1, 0, k)), s.slice(0, 0, k), vh.slice(0, 0, k).t()};
}

Factorization rsvd_by_energy(const torch::Tensor& a, double energy, const RsvdOptions& o) {
  if (!(energy > 0.0 && energy <= 1.0)) throw UsageError("low-rank energy must be in (0, 1]");
  const int64_t full = std::min(a.size(0), a.size(1));
  const double total = a.square().sum().item<double>();
  for (int64_t k = std::min<int64_t>(8, full);; k = std::min(2 * k, full)) {
    Factorization f = randomized_svd(a, k, o);
    torch::Tensor kept = f.S.square().cumsum(0);
    int64_t r = (kept < energy * total).sum().item<int64_t>() + 1;
    if (r <= f.S.size(0) || k == full) {
      r = std::min(r, f.S.size(0));
      return {f.U.slice(1, 0, r), f.S.slice(0, 0, r), f.V.slice(1, 0, r)};
    }
  }
}

std::vector<LowRankLayer> low_rank_model(codec::ModelFile& model, double energy, const RsvdOptions& o) {
  torch::NoGradGuard no_grad;
  std::vector<LowRankLayer> out;
  for (auto& r : model.tensors) {
    if (!is_transform_weight(r)) continue;
    torch::Tensor a = record_matrix(r);
    LowRankLayer layer{r.name, a.size(0), a.size(1), std::min(a.size(0), a.size(1)), a.numel(), a.numel(), 0.0};
    Factorization f = rsvd_by_energy(a, energy, o);
    const int64_t rank = f.S.size(0), factored = rank * (layer.rows + layer.cols);
    if (factored < layer.params) {
      torch::Tensor approx = (f.U * f.S).matmul(f.V.t());
      layer.rank = rank;
      layer.factored_params = factored;
      layer.relative_error = ((a - approx).norm().item<double>() / std::max(a.norm().item<double>(), 1e-30));
      store_matrix(r, approx);
    }
    out.push_back(layer);
  }
  return out;
}

nlohmann::json low_rank_json(const std::vector<LowRankLayer>& layers, double energy) {
  nlohmann::json list = nlohmann::json::array();
  int64_t before = 0, after = 0;
  for (const auto& l : layers) {
    list.push_back({{"name", l.name}, {"rows", l.rows}, {"cols", l.cols}, {"rank", l.rank}, {"params", l.params},
                    {"factored_params", l.factored_params}, {"relative_error", l.relative_error}});
    before += l.params;
    after += l.factored_params;
  }
  return {{"energy", energy}, {"layers", list}, {"params", before}, {"factored_params", after},
          {"params_saved", before - after}};
}

}  // namespace tiny::convert
