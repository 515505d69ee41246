#include "convert/low_rank.hpp"

#include "codec/model_io.hpp"
#include "core/text.hpp"
#include "core/error.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cstring>

namespace tiny::convert {
namespace {

torch::Tensor orthonormal(const torch::Tensor& y) { return std::get<0>(torch::linalg_qr(y, "reduced")); }

bool is_chosen_weight(const codec::TensorRecord& r, const std::vector<std::string>& layers) {
  const bool is_float = r.dtype == codec::DType::f32 || r.dtype == codec::DType::f16;
  if (!is_float || (r.shape.size() != 2 && r.shape.size() != 4) || !ends_with(r.name, ".weight")) return false;
  for (const auto& prefix : layers)
    if (r.name.rfind(prefix, 0) == 0) return true;
  return false;
}

torch::Tensor record_matrix(const codec::TensorRecord& r) {
  return codec::record_to_tensor(r).to(torch::kFloat32).reshape({r.shape[0], -1});
}

void append_tensor(Bytes& out, const torch::Tensor& t) {
  const size_t at = out.size(), bytes = size_t(t.numel()) * t.element_size();
  out.resize(at + bytes);
  std::memcpy(out.data() + at, t.data_ptr(), bytes);
}

// Rewrites the record as an lr record holding U·diag(S) and Vᵀ in the record's float precision.
void store_factors(codec::TensorRecord& r, const Factorization& f) {
  const codec::DType factors = r.dtype;
  const auto type = factors == codec::DType::f16 ? torch::kHalf : torch::kFloat32;
  const uint32_t header[2] = {uint32_t(f.S.size(0)), factors == codec::DType::f16 ? 1u : 0u};
  Bytes data(reinterpret_cast<const uint8_t*>(header), reinterpret_cast<const uint8_t*>(header) + 8);
  append_tensor(data, (f.U * f.S).to(type).contiguous());
  append_tensor(data, f.V.t().to(type).contiguous());
  r.dtype = codec::DType::lr;
  r.data = std::move(data);
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

std::vector<LowRankLayer> low_rank_model(codec::ModelFile& model, const LowRankTarget& target, const RsvdOptions& o) {
  if ((target.energy > 0) == (target.saving > 0)) throw UsageError("low rank: give either an energy or a saving");
  if (!(target.saving < 1.0)) throw UsageError("low-rank saving must be in (0, 1)");
  torch::NoGradGuard no_grad;
  std::vector<LowRankLayer> out;
  for (auto& r : model.tensors) {
    if (!is_chosen_weight(r, target.layers)) continue;
    torch::Tensor a = record_matrix(r);
    LowRankLayer layer{r.name, a.size(0), a.size(1), std::min(a.size(0), a.size(1)), a.numel(), a.numel(), 0.0};
    const auto by_saving = int64_t((1.0 - target.saving) * double(layer.params) / double(layer.rows + layer.cols));
    Factorization f = target.energy > 0 ? rsvd_by_energy(a, target.energy, o)
                                        : randomized_svd(a, std::clamp<int64_t>(by_saving, 1, layer.rank), o);
    const int64_t rank = f.S.size(0), factored = rank * (layer.rows + layer.cols);
    if (factored < layer.params) {
      torch::Tensor approx = (f.U * f.S).matmul(f.V.t());
      layer.rank = rank;
      layer.factored_params = factored;
      layer.relative_error = ((a - approx).norm().item<double>() / std::max(a.norm().item<double>(), 1e-30));
      store_factors(r, f);
    }
    out.push_back(layer);
  }
  return out;
}

nlohmann::json low_rank_json(const std::vector<LowRankLayer>& layers, const LowRankTarget& target) {
  nlohmann::json list = nlohmann::json::array();
  int64_t before = 0, after = 0;
  for (const auto& l : layers) {
    list.push_back({{"name", l.name}, {"rows", l.rows}, {"cols", l.cols}, {"rank", l.rank}, {"params", l.params},
                    {"factored_params", l.factored_params}, {"relative_error", l.relative_error}});
    before += l.params;
    after += l.factored_params;
  }
  return {{"energy", target.energy}, {"saving", target.saving}, {"layers", list}, {"params", before}, {"factored_params", after},
          {"params_saved", before - after}};
}

}  // namespace tiny::convert
