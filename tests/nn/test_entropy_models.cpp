// Entropy bottleneck and Gaussian conditional: likelihoods, aux loss, update() tables.
#include "nn/entropy_models.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny::nn;

TEST_CASE("normal quantile") {
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963985).epsilon(1e-9));
  CHECK(normal_quantile(5e-10) == doctest::Approx(-6.10941).epsilon(1e-5));
  CHECK_THROWS(normal_quantile(0.0));
}

TEST_CASE("entropy bottleneck: names, likelihoods summing to one, median rounding at eval") {
  torch::manual_seed(1);
  EntropyBottleneck eb(3);
  auto params = eb->named_parameters();
  CHECK(params.contains("_matrix0"));
  CHECK(params.contains("_matrix4"));  // CompressAI's filters (3, 3, 3, 3): five matrices, four factors
  CHECK(params.contains("_factor3"));
  CHECK(!params.contains("_factor4"));
  CHECK(EntropyBottleneck(3, 1e-9, 10.0, 3)->named_parameters().size() == params.size() - 3);
  CHECK(params["_matrix1"].sizes() == torch::IntArrayRef({3, 3, 3}));
  CHECK(params["quantiles"].sizes() == torch::IntArrayRef({3, 1, 3}));
  // init: softplus(matrix) = 1 / (10^(1/5) * filters), so the first layer maps 1 -> 10^-1/5 / 3 ...
  CHECK(std::log1p(std::exp(params["_matrix0"][0][0][0].item<double>())) ==
        doctest::Approx(1.0 / std::pow(10.0, 0.2) / 3.0).epsilon(1e-6));

  torch::NoGradGuard g;
  torch::Tensor values = torch::arange(-3000, 3001, torch::kFloat32).reshape({1, 1, -1}).repeat({3, 1, 1});
  torch::Tensor total = eb->likelihood(values).sum(-1);
  for (int c = 0; c < 3; ++c) CHECK(total[c][0].item<double>() == doctest::Approx(1.0).epsilon(1e-4));

  eb->eval();
  {
    torch::NoGradGuard ng;
    eb->quantiles.index_put_({torch::indexing::Slice(), 0, 1}, 0.25);
  }
  torch::Tensor x = torch::tensor({0.6f, 1.3f}).reshape({1, 1, 1, 2}).repeat({1, 3, 1, 1});
  auto [q, lik] = eb(x);
  CHECK(q[0][0][0][0].item<float>() == doctest::Approx(0.25));  // round(0.35) + 0.25
  CHECK(q[0][2][0][1].item<float>() == doctest::Approx(1.25));  // round(1.05) + 0.25
  CHECK((lik > 0).all().item<bool>());
  CHECK((lik <= 1).all().item<bool>());

  eb->train();
  auto [noisy, lik2] = eb(x);
  CHECK((noisy - x).abs().max().item<float>() <= 0.5f);
}

TEST_CASE("entropy bottleneck: aux loss moves the quantiles to the tail targets") {
  torch::manual_seed(2);
  EntropyBottleneck eb(2);
  torch::optim::Adam opt({eb->quantiles}, torch::optim::AdamOptions(0.5));
  double first = eb->loss().item<double>();
  for (int i = 0; i < 200; ++i) {
    opt.zero_grad();
    torch::Tensor l = eb->loss();
    l.backward();
    opt.step();
  }
  CHECK(eb->loss().item<double>() < first * 0.6);
  CHECK(!eb->matrices[0].grad().defined());  // stop-gradient: only the quantiles learn from it
}

TEST_CASE("entropy bottleneck update(): tables per channel from the quantiles") {
  torch::manual_seed(3);
  EntropyBottleneck eb(4);
  eb->update();
  auto cdfs = eb->cdfs();
  REQUIRE(cdfs.size() == 4);
  for (const auto& t : cdfs) {
    // quantiles [-10, 0, 10]: 21 values from -10, plus the tail symbol
    CHECK(t.offset == -10);
    REQUIRE(t.cdf.size() == 23);
    CHECK(t.cdf.front() == 0);
    CHECK(t.cdf.back() == 65536);
    for (size_t i = 1; i < t.cdf.size(); ++i) CHECK(t.cdf[i] > t.cdf[i - 1]);
  }
  CHECK(eb->_cdf_length[0].item<int>() == 23);
  CHECK(eb->_quantized_cdf.sizes() == torch::IntArrayRef({4, 23}));
}

TEST_CASE("gaussian conditional: scale table, indexes, likelihood, update() tables") {
  GaussianConditional gc;
  REQUIRE(gc->scale_table.numel() == 64);
  CHECK(gc->scale_table[0].item<double>() == doctest::Approx(0.11).epsilon(1e-6));
  CHECK(gc->scale_table[63].item<double>() == doctest::Approx(256.0).epsilon(1e-6));
  float t5 = gc->scale_table[5].item<float>();
  torch::Tensor idx = gc->build_indexes(torch::tensor({0.05f, 0.11f, t5, std::nextafter(t5, 1e9f), 256.0f, 1000.0f}));
  CHECK((idx.scalar_type() == torch::kInt32));
  std::vector<int> expect = {0, 0, 5, 6, 63, 63};
  for (int i = 0; i < 6; ++i) CHECK(idx[i].item<int>() == expect[size_t(i)]);

  // P(round(N(0, 1)) = 0) = Phi(0.5) - Phi(-0.5)
  torch::Tensor lik = gc->likelihood(torch::zeros({1}), torch::ones({1}), torch::Tensor());
  CHECK(lik.item<double>() == doctest::Approx(0.382924922).epsilon(1e-6));
  gc->eval();
  auto [q, l] = gc(torch::tensor({1.4f}), torch::tensor({2.0f}), torch::tensor({0.2f}));
  CHECK(q.item<float>() == doctest::Approx(1.2f));

  gc->update();
  auto cdfs = gc->cdfs();
  REQUIRE(cdfs.size() == 64);
  // scale 0.11: centre ceil(0.11 * 6.109) = 1, values -1..1 plus the tail
  CHECK(cdfs[0].offset == -1);
  CHECK(cdfs[0].cdf.size() == 5);
  CHECK(cdfs[63].offset == -int(std::ceil(256.0 * 6.109410)));
  CHECK(cdfs[63].cdf.back() == 65536);
}
