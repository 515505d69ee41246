#include "codec/codec.hpp"
#include "codec/model_file.hpp"
#include "codec/quantize.hpp"
#include "convert/low_rank.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

using namespace tiny;
using namespace tiny::convert;

namespace {

// A [m, n] with singular values decay^j and random singular vectors.
torch::Tensor test_matrix(int64_t m, int64_t n, double decay, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor u = std::get<0>(torch::linalg_qr(torch::randn({m, n})));
  torch::Tensor v = std::get<0>(torch::linalg_qr(torch::randn({n, n})));
  torch::Tensor s = torch::pow(decay, torch::arange(n, torch::kFloat64)).to(torch::kFloat32);
  return (u * s).matmul(v.t());
}

// ‖A − Q Qᵀ A‖_F.
double projection_error(const torch::Tensor& a, const torch::Tensor& q) {
  return (a - q.matmul(q.t().matmul(a))).norm().item<double>();
}

// A small untrained model of `arch` (N 16, M 24) written as float32 to dir/m.tmodel, read back.
codec::ModelFile small_model_file(const test::TempDir& dir, const std::string& arch, uint64_t seed) {
  codec::ArchConfig c = codec::zoo_config(arch, 1);
  c.N = 16, c.M = 24;
  codec::Codec::untrained(c, seed).save(dir.file("m.tmodel"), false, true);
  return codec::read_model_file(dir.file("m.tmodel"));
}

}  // namespace

TEST_CASE("low rank: the range finder meets the Halko-Martinsson-Tropp Frobenius bound (q = 0)") {
  torch::Tensor a = test_matrix(200, 120, 0.8, 1);
  torch::Tensor s = torch::linalg_svdvals(a.to(torch::kFloat64));
  for (int64_t k : {5, 10, 20}) {
    const int64_t p = 10;
    double tail = std::sqrt(s.slice(0, k).square().sum().item<double>());
    double bound = std::sqrt(1.0 + double(k) / double(p - 1)) * tail;  // E‖A − QQᵀA‖_F (Theorem 10.5)
    double mean = 0.0;
    const int trials = 20;
    for (int t = 0; t < trials; ++t) mean += projection_error(a, randomized_range(a, k, {p, 0, uint64_t(t)})) / trials;
    CAPTURE(k);
    CHECK(mean <= bound);
    double best = std::sqrt(s.slice(0, k + p).square().sum().item<double>());  // Q has k + p columns
    CHECK(mean >= best * 0.999);
  }
}

TEST_CASE("low rank: with power iterations the RSVD matches the exact SVD") {
  torch::Tensor a = test_matrix(150, 90, 0.85, 2);
  auto [u, s, vh] = torch::linalg_svd(a.to(torch::kFloat64), false);
  const int64_t k = 12;
  Factorization f = randomized_svd(a, k, {10, 2, 7});
  REQUIRE(f.S.size(0) == k);
  CHECK(torch::allclose(f.S.to(torch::kFloat64), s.slice(0, 0, k), 1e-3, 1e-5));
  double optimal = std::sqrt(s.slice(0, k).square().sum().item<double>());  // Eckart-Young
  double error = (a - (f.U * f.S).matmul(f.V.t())).norm().item<double>();
  CHECK(error <= 1.01 * optimal);
  CHECK(torch::allclose(f.U.t().matmul(f.U), torch::eye(k), 1e-4, 1e-4));
}

TEST_CASE("low rank: the energy threshold picks the exact SVD's rank") {
  torch::Tensor a = test_matrix(120, 80, 0.7, 3);
  torch::Tensor s2 = torch::linalg_svdvals(a.to(torch::kFloat64)).square();
  for (double energy : {0.5, 0.9, 0.999}) {
    torch::Tensor kept = s2.cumsum(0) / s2.sum();
    int64_t exact = (kept < energy).sum().item<int64_t>() + 1;
    Factorization f = rsvd_by_energy(a, energy, {});
    CAPTURE(energy);
    CHECK(f.S.size(0) == exact);
    double rel = (a - (f.U * f.S).matmul(f.V.t())).norm().item<double>() / a.norm().item<double>();
    CHECK(rel <= std::sqrt(1.0 - energy) + 1e-4);
  }
  CHECK_THROWS_AS(rsvd_by_energy(a, 0.0, {}), UsageError);
  CHECK_THROWS_AS(rsvd_by_energy(a, 1.5, {}), UsageError);
}

TEST_CASE("low rank: a model keeps its entropy models and tables exact; the report adds up") {
  test::TempDir dir;
  codec::ModelFile before = small_model_file(dir, "bmshj2018-hyperprior", 5);
  codec::ModelFile after = before;
  auto layers = low_rank_model(after, {0.8}, {});
  CHECK(layers.size() == 14);  // 4 + 4 convolutions of g_a/g_s, 3 + 3 of h_a/h_s
  int changed = 0;
  for (size_t i = 0; i < before.tensors.size(); ++i) {
    const auto& name = before.tensors[i].name;
    bool same = before.tensors[i].data == after.tensors[i].data;
    bool factored = false;
    for (const auto& l : layers) factored |= l.name == name && l.factored_params < l.params;
    CAPTURE(name);
    CHECK(same == !factored);
    changed += !same;
  }
  CHECK(changed > 0);
  nlohmann::json j = low_rank_json(layers, {0.8});
  int64_t saved = 0;
  for (const auto& l : layers) {
    saved += l.params - l.factored_params;
    if (l.factored_params < l.params) CHECK(l.relative_error <= std::sqrt(0.2) + 1e-4);
  }
  CHECK(j["params_saved"] == saved);
  CHECK(saved > 0);
}

TEST_CASE("low rank by saving: factors stored in the .tmodel shrink it, load as their product, and code images") {
  test::TempDir dir;
  codec::ModelFile model = small_model_file(dir, "mbt2018-mean", 6);
  const codec::ModelFile dense = model;
  LowRankTarget target;
  target.saving = 0.5;
  target.layers = {"g_s."};
  auto layers = low_rank_model(model, target, {});
  REQUIRE(layers.size() == 4);  // the four transposed convolutions of g_s
  for (const auto& l : layers) {
    CAPTURE(l.name);
    CHECK(l.name.rfind("g_s.", 0) == 0);
    CHECK(double(l.factored_params) <= 0.5 * double(l.params));
    CHECK(double(l.factored_params) > 0.4 * double(l.params) - double(l.rows + l.cols));
  }
  codec::write_model_file(dir.file("lr.tmodel"), model, false);
  CHECK(std::filesystem::file_size(dir.file("lr.tmodel")) < std::filesystem::file_size(dir.file("m.tmodel")));
  codec::ModelFile back = codec::read_model_file(dir.file("lr.tmodel"));
  for (size_t i = 0; i < back.tensors.size(); ++i) {
    const auto& t = back.tensors[i];
    if (t.dtype != codec::DType::lr) continue;
    CAPTURE(t.name);
    // The stored product is the rank-r approximation: close to the dense weight, within the layer's error.
    const std::vector<float> approx = codec::dequantize(t), original = codec::dequantize(dense.tensors[i]);
    double err = 0, norm = 0;
    for (size_t k = 0; k < approx.size(); ++k) err += std::pow(approx[k] - original[k], 2), norm += std::pow(original[k], 2);
    for (const auto& l : layers)
      if (l.name == t.name) CHECK(std::sqrt(err / norm) == doctest::Approx(l.relative_error).epsilon(0.02));
  }
  codec::Codec codec = codec::Codec::from_file(dir.file("lr.tmodel"));
  image::Image img = test::make_test_image(64, 64, 3), recon;
  Bytes tic = codec.compress(img, &recon);
  CHECK(codec.decompress(tic, "lr.tic").pixels == recon.pixels);
  const nlohmann::json described = codec::describe_model(back);
  CHECK(std::string(described["weights"]).find("low-rank") != std::string::npos);
  CHECK(described["compressed_weights"]["low-rank"] == 4);
  for (const auto& l : layers) CHECK(described["low_rank_ranks"][l.name] == l.rank);

  codec::ModelFile cut = model;
  for (auto& t : cut.tensors)
    if (t.dtype == codec::DType::lr) t.data[0] = 0xff;  // a rank beyond the matrix
  CHECK_THROWS_AS(codec::serialize_model(cut), Error);
}
