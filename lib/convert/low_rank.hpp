#pragma once
// Low-rank sketching of convolution and linear weights by randomized SVD (Halko, Martinsson and
// Tropp 2011): a Gaussian test matrix with oversampling, power iterations with re-orthonormalisation,
// and the rank chosen by the energy (squared Frobenius norm) it keeps.
#include "codec/model_file.hpp"

#include <nlohmann/json.hpp>

#include <torch/torch.h>

#include <string>
#include <vector>

namespace tiny::convert {

struct RsvdOptions {
  int64_t oversample = 10;      // p: extra columns of the test matrix
  int64_t power_iterations = 2;  // q
  uint64_t seed = 0;
};

// A ≈ U diag(S) Vᵀ with U [m, k], S [k], V [n, k].
struct Factorization {
  torch::Tensor U, S, V;
};

// The orthonormal basis Q [m, min(k + p, m, n)] of the randomized range finder for a float32 matrix A [m, n].
torch::Tensor randomized_range(const torch::Tensor& a, int64_t k, const RsvdOptions& options);
// Rank-k randomized SVD of a float32 matrix A [m, n] (k ≤ min(m, n)).
Factorization randomized_svd(const torch::Tensor& a, int64_t k, const RsvdOptions& options);
// The smallest rank whose RSVD keeps at least `energy` (0..1] of ‖A‖²_F, grown by doubling the sketch;
// returns the factorization truncated to that rank.
Factorization rsvd_by_energy(const torch::Tensor& a, double energy, const RsvdOptions& options);

// One layer's result: rank, parameters of the dense and factorized forms, relative Frobenius error.
struct LowRankLayer {
  std::string name;
  int64_t rows = 0, cols = 0, rank = 0, params = 0, factored_params = 0;
  double relative_error = 0.0;
};

// How ranks are chosen: by the energy kept, or by the share of each weight's parameters saved.
struct LowRankTarget {
  double energy = 0;  // > 0: the smallest rank keeping this share of ‖W‖²_F
  double saving = 0;  // > 0: rank r = ⌊(1 − saving)·rows·cols / (rows + cols)⌋, so the factors save this share
  std::vector<std::string> layers = {"g_a.", "g_s.", "h_a.", "h_s.", "entropy_parameters."};  // name prefixes
};

// Replaces each transform weight of the chosen layers (2-D or 4-D, viewed as [shape0, rest]) by its
// rank-r factors U·diag(S) and V, stored as an lr record (their product is the weight at load), where
// the factors are smaller than the weight; entropy models and CDF tables stay exact. Returns one
// entry per weight examined.
std::vector<LowRankLayer> low_rank_model(codec::ModelFile& model, const LowRankTarget& target, const RsvdOptions& options);
// The per-layer report as JSON (layers and totals).
nlohmann::json low_rank_json(const std::vector<LowRankLayer>& layers, const LowRankTarget& target);

}  // namespace tiny::convert
