// The zoo: CompressAI's sizes, parameter names and forward shapes of every architecture.
#include "codec/model.hpp"
#include "codec_fixtures.hpp"
#include "core/error.hpp"
#include "entropy/rans.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny;
using namespace tiny::codec;

TEST_CASE("zoo configurations follow CompressAI") {
  CHECK(zoo_config("bmshj2018-factorized", 5).N == 128);
  CHECK(zoo_config("bmshj2018-factorized", 6).M == 320);
  CHECK(zoo_config("mbt2018-mean", 4).M == 192);
  CHECK(zoo_config("mbt2018-mean", 5).N == 192);
  CHECK(zoo_config("mbt2018", 1).N == 192);
  CHECK(zoo_config("cheng2020-anchor", 3).N == 128);
  CHECK(zoo_config("cheng2020-anchor", 4).M == 192);
  CHECK(zoo_config("mbt2018", 8).lambda == doctest::Approx(0.18));
  CHECK_THROWS_AS(zoo_config("cheng2020-anchor", 7), UsageError);
  CHECK_THROWS_AS(zoo_config("nope", 1), UsageError);
  CHECK_THROWS_AS(make_model({"nope", 1, 8, 8, 0.0}), UsageError);
}

TEST_CASE("ladder_lambda: CompressAI's lambdas at whole qualities, exponential between, quality 0 two rungs below q1") {
  CHECK(ladder_lambda(3, zoo_lambda) == doctest::Approx(0.0067));
  CHECK(ladder_lambda(8, zoo_lambda) == doctest::Approx(0.18));
  CHECK(ladder_lambda(2.5, zoo_lambda) == doctest::Approx(std::sqrt(0.0035 * 0.0067)));
  const double rung0 = 0.0018 * (0.0018 / 0.0035) * (0.0018 / 0.0035);
  CHECK(ladder_lambda(0, zoo_lambda) == doctest::Approx(rung0));
  CHECK(ladder_lambda(0.5, zoo_lambda) == doctest::Approx(std::sqrt(rung0 * 0.0018)));
  CHECK_THROWS_AS(ladder_lambda(-0.1, zoo_lambda), UsageError);
  CHECK_THROWS_AS(ladder_lambda(8.5, zoo_lambda), UsageError);
}

TEST_CASE("parameter names and shapes are CompressAI's") {
  auto names = [](const ArchConfig& c) {
    auto m = make_model(c);
    std::map<std::string, std::vector<int64_t>> out;
    for (const auto& p : m->named_parameters()) out[p.key()] = p.value().sizes().vec();
    for (const auto& b : m->named_buffers()) out[b.key()] = b.value().sizes().vec();
    return out;
  };
  auto f = names({"bmshj2018-factorized", 1, 8, 12, 0.0});
  CHECK(f.at("g_a.0.weight") == std::vector<int64_t>{8, 3, 5, 5});
  CHECK(f.at("g_a.1.beta") == std::vector<int64_t>{8});
  CHECK(f.at("g_a.1.gamma") == std::vector<int64_t>{8, 8});
  CHECK(f.count("g_a.1.beta_reparam.pedestal") == 1);
  CHECK(f.at("g_s.0.weight") == std::vector<int64_t>{12, 8, 5, 5});
  CHECK(f.at("g_s.6.weight") == std::vector<int64_t>{8, 3, 5, 5});
  CHECK(f.at("entropy_bottleneck._matrix0") == std::vector<int64_t>{12, 3, 1});
  CHECK(f.at("entropy_bottleneck.quantiles") == std::vector<int64_t>{12, 1, 3});
  CHECK(f.count("entropy_bottleneck._quantized_cdf") == 1);

  auto h = names({"bmshj2018-hyperprior", 1, 8, 12, 0.0});
  CHECK(h.at("h_a.0.weight") == std::vector<int64_t>{8, 12, 3, 3});
  CHECK(h.at("h_s.4.weight") == std::vector<int64_t>{12, 8, 3, 3});
  CHECK(h.count("gaussian_conditional.scale_table") == 1);
  CHECK(h.count("gaussian_conditional.lower_bound_scale.bound") == 1);

  auto j = names({"mbt2018", 1, 8, 12, 0.0});
  CHECK(j.at("h_s.0.weight") == std::vector<int64_t>{8, 12, 5, 5});
  CHECK(j.at("h_s.2.weight") == std::vector<int64_t>{12, 18, 5, 5});
  CHECK(j.at("h_s.4.weight") == std::vector<int64_t>{24, 18, 3, 3});
  CHECK(j.at("context_prediction.weight") == std::vector<int64_t>{24, 12, 5, 5});
  CHECK(j.at("context_prediction.mask") == std::vector<int64_t>{24, 12, 5, 5});
  CHECK(j.at("entropy_parameters.0.weight") == std::vector<int64_t>{40, 48, 1, 1});
  CHECK(j.at("entropy_parameters.4.weight") == std::vector<int64_t>{24, 32, 1, 1});

  auto c = names({"cheng2020-anchor", 1, 12, 12, 0.0});
  CHECK(c.at("g_a.0.conv1.weight") == std::vector<int64_t>{12, 3, 3, 3});
  CHECK(c.at("g_a.0.skip.weight") == std::vector<int64_t>{12, 3, 1, 1});
  CHECK(c.at("g_a.6.weight") == std::vector<int64_t>{12, 12, 3, 3});
  CHECK(c.at("g_s.1.subpel_conv.0.weight") == std::vector<int64_t>{48, 12, 3, 3});
  CHECK(c.at("g_s.1.igdn.gamma") == std::vector<int64_t>{12, 12});
  CHECK(c.at("g_s.7.0.weight") == std::vector<int64_t>{12, 12, 3, 3});
  CHECK(c.at("h_s.6.0.weight") == std::vector<int64_t>{72, 18, 3, 3});
  CHECK(c.at("h_s.8.weight") == std::vector<int64_t>{24, 18, 3, 3});

  auto a = names({"cheng2020-attn", 1, 12, 12, 0.0});
  CHECK(a.at("g_a.3.conv_a.0.conv.0.weight") == std::vector<int64_t>{6, 12, 1, 1});
  CHECK(a.at("g_a.8.conv_b.3.weight") == std::vector<int64_t>{12, 12, 1, 1});
  CHECK(a.at("g_s.9.0.weight") == std::vector<int64_t>{12, 12, 3, 3});
}

TEST_CASE("forward shapes of every architecture, training and eval") {
  torch::manual_seed(0);
  torch::Tensor x = torch::rand({2, 3, 64, 128});
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    auto m = make_model(cfg);
    for (bool training : {true, false}) {
      m->train(training);
      ForwardResult r = m->forward(x);
      CHECK(r.x_hat.sizes() == x.sizes());
      REQUIRE(!r.likelihoods.empty());
      CHECK(r.likelihoods[0].first == "y");
      CHECK(r.likelihoods[0].second.sizes() == torch::IntArrayRef({2, cfg.M, 4, 8}));
      bool factorized = cfg.arch == "bmshj2018-factorized";
      CHECK(r.likelihoods.size() == (factorized ? 1u : 2u));
      if (!factorized) CHECK(r.likelihoods[1].second.sizes() == torch::IntArrayRef({2, cfg.N, 1, 2}));
      for (const auto& l : r.likelihoods) {
        CHECK((l.second > 0).all().item<bool>());
        CHECK((l.second <= 1.0001).all().item<bool>());
      }
    }
    // training gradients reach the analysis transform
    m->train();
    ForwardResult r = m->forward(x);
    torch::Tensor loss = r.likelihoods[0].second.log().sum() + (r.x_hat - x).pow(2).mean();
    loss.backward();
    CHECK(m->g_a->named_parameters()[0].value().grad().defined());
    CHECK(m->aux_loss().item<double>() > 0.0);
  }
}

TEST_CASE("the C++ context loop computes what the masked convolution and entropy parameters compute") {
  torch::manual_seed(5);
  for (const char* arch : {"mbt2018", "cheng2020-anchor"}) {
    CAPTURE(arch);
    auto m = make_model({arch, 1, 12, 12, 0.0});
    m->eval();
    m->update();
    torch::NoGradGuard no_grad;
    torch::Tensor x = torch::rand({1, 3, 128, 64});
    Encoded e = m->compress(x);
    // The reference: torch modules on the whole y_hat at once (the masked kernel sees only causal neighbours).
    auto child = [&](const char* name) { return m->named_children()[name]; };
    torch::Tensor med = m->entropy_bottleneck->medians().reshape({1, -1, 1, 1});
    torch::Tensor y = m->g_a->forward(x);
    torch::Tensor z = child("h_a")->as<torch::nn::Sequential>()->forward(y);
    torch::Tensor params = child("h_s")->as<torch::nn::Sequential>()->forward(torch::round(z - med) + med);
    torch::Tensor ctx = child("context_prediction")->as<nn::MaskedConv2d>()->forward(e.y_hat);
    torch::Tensor gp = child("entropy_parameters")->as<torch::nn::Sequential>()->forward(torch::cat({params, ctx}, 1));
    torch::Tensor means = gp.chunk(2, 1)[1];
    // y_hat = symbol + mean in raster order (position, then channel), as the stream holds them
    torch::Tensor symbols = torch::tensor(e.streams[1].symbols, torch::kFloat32).reshape({8, 4, 12}).permute({2, 0, 1});
    torch::Tensor err = (e.y_hat[0] - symbols - means[0]).abs();
    CHECK(err.max().item<float>() < 1e-3f);
    CHECK(((y - means).round() - symbols.unsqueeze(0)).abs().max().item<float>() == 0.0f);
  }
}

TEST_CASE("update() tables code each latent at the rate its likelihoods predict") {
  torch::manual_seed(9);
  torch::Tensor x = torch::rand({1, 3, 256, 256});
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    torch::manual_seed(9);  // each model its own weights, whatever the architectures before it
    auto m = make_model(cfg);
    m->eval();
    m->update();
    torch::NoGradGuard no_grad;
    ForwardResult r = m->forward(x);
    double predicted_bits = 0;
    for (const auto& l : r.likelihoods) predicted_bits += -torch::log2(l.second).sum().item<double>();
    Encoded e = m->compress(x);
    double coded_bits = 0;
    auto models = m->entropy_models();
    for (size_t s = 0; s < e.streams.size(); ++s) {
      entropy::RansTables tables(models[s]->cdfs());
      coded_bits += 8.0 * double(entropy::rans_encode(e.streams[s].symbols, e.streams[s].indexes, tables).size());
    }
    // 16-bit quantized tables and the coder's 32-byte state per stream cost a little over the ideal.
    // The context models' forward sees round(y) as context where the coder sees round(y - mean) + mean
    // (as CompressAI's do), so their prediction is looser from below.
    const bool context = cfg.arch == "mbt2018" || cfg.arch.rfind("cheng2020", 0) == 0;
    CHECK(coded_bits > (context ? 0.9 : 0.97) * predicted_bits);
    CHECK(coded_bits < 1.05 * predicted_bits + 8.0 * 64 * double(e.streams.size()));
  }
}

TEST_CASE("parameter_count predicts a model's size within 0.1% without building it") {
  for (const auto& arch : architectures()) {
    for (int q : {1, max_quality(arch)}) {
      CAPTURE(arch);
      CAPTURE(q);
      const ArchConfig c = zoo_config(arch, q);
      int64_t built = 0;
      for (const auto& p : make_model(c)->parameters()) built += p.numel();
      CHECK(std::abs(parameter_count(c) - built) <= built / 1000);
    }
  }
}
