// The torch transforms on the fixed-order kernels, against torch running the same modules.
#include "core/error.hpp"
#include "nn/fixed_order_transform.hpp"
#include "nn/layers.hpp"

#include <doctest/doctest.h>

using namespace tiny::nn;

namespace {

double max_relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

}  // namespace

TEST_CASE("fixed-order transforms agree with torch: hyper-syntheses, GDN synthesis, sub-pixel convolutions") {
  torch::manual_seed(5);
  std::vector<std::pair<std::string, torch::nn::Sequential>> cases = {
      {"mbt2018 hyper-synthesis", torch::nn::Sequential(Deconv2d(8, 12), leaky_relu(), Deconv2d(12, 18), leaky_relu(),
                                                        conv(18, 24, 3, 1))},
      {"bmshj2018 hyper-synthesis", torch::nn::Sequential(Deconv2d(8, 8), torch::nn::ReLU(), Deconv2d(8, 8),
                                                          torch::nn::ReLU(), conv(8, 12, 3, 1), torch::nn::ReLU())},
      {"cheng2020 hyper-synthesis", torch::nn::Sequential(conv3x3(8, 8), leaky_relu(), SubpelConv3x3(8, 8, 2),
                                                          leaky_relu(), conv3x3(8, 12), leaky_relu(),
                                                          SubpelConv3x3(12, 12, 2), leaky_relu(), conv3x3(12, 16))},
      {"synthesis with inverse GDN", torch::nn::Sequential(Deconv2d(12, 8), GDN(8, true), Deconv2d(8, 3))},
      {"analysis with GDN", torch::nn::Sequential(conv(3, 8), GDN(8, false), conv(8, 12))},
  };
  for (auto& [name, seq] : cases) {
    CAPTURE(name);
    seq->eval();
    torch::NoGradGuard no_grad;
    const int64_t in = name == "analysis with GDN" ? 3 : name == "synthesis with inverse GDN" ? 12 : 8;
    torch::Tensor x = torch::randn({1, in, 6, 5});
    FixedOrderRunner runner;
    torch::Tensor got = runner.forward(seq, x), want = seq->forward(x);
    REQUIRE(got.sizes() == want.sizes());
    CHECK(max_relative_error(got, want) < 1e-5);
  }
}

TEST_CASE("fixed-order runners recompile when the parameters change, and refuse layers they lack") {
  torch::manual_seed(6);
  auto seq = torch::nn::Sequential(conv(4, 4, 3, 1), leaky_relu());
  seq->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::randn({1, 4, 5, 5});
  FixedOrderRunner runner;
  torch::Tensor before = runner.forward(seq, x);
  for (auto& p : seq->parameters()) p.mul_(2.0);
  torch::Tensor after = runner.forward(seq, x);
  CHECK(max_relative_error(after, seq->forward(x)) < 1e-5);
  CHECK(!torch::equal(before, after));
  auto other = torch::nn::Sequential(conv(4, 4, 3, 1), torch::nn::Sigmoid());
  CHECK_THROWS_WITH_AS(FixedOrderRunner().forward(other, x), doctest::Contains("no fixed-order kernel"), tiny::Error);
}
