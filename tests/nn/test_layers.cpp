// Layers against hand-computed values.
#include "nn/layers.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace tiny::nn;

namespace {

float px(const torch::Tensor& t, int64_t c, int64_t y, int64_t x) { return t[0][c][y][x].item<float>(); }

void set(torch::Tensor& p, const torch::Tensor& v) {
  torch::NoGradGuard g;
  p.copy_(v);
}

}  // namespace

TEST_CASE("lower bound: forward clamps, gradient passes above the bound or when pushing upwards") {
  torch::Tensor x = torch::tensor({-1.0f, 2.0f}, torch::requires_grad());
  torch::Tensor bound = torch::tensor({0.0f});
  torch::Tensor y = lower_bound(x, bound);
  CHECK(y[0].item<float>() == 0.0f);
  CHECK(y[1].item<float>() == 2.0f);
  y.backward(torch::tensor({1.0f, 1.0f}));
  CHECK(x.grad()[0].item<float>() == 0.0f);
  CHECK(x.grad()[1].item<float>() == 1.0f);
  x.grad().zero_();
  lower_bound(x, bound).backward(torch::tensor({-1.0f, 1.0f}));
  CHECK(x.grad()[0].item<float>() == -1.0f);
}

TEST_CASE("non-negative parametrizer keeps the minimum and round-trips values") {
  NonNegativeParametrizer p(1e-6);
  torch::Tensor v = torch::tensor({0.5f, 3.0f});
  torch::Tensor back = p(p->init(v));
  CHECK(back[0].item<float>() == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(back[1].item<float>() == doctest::Approx(3.0).epsilon(1e-6));
  CHECK(p(torch::tensor({0.0f}))[0].item<float>() == doctest::Approx(1e-6).epsilon(1e-3));
}

TEST_CASE("GDN and inverse GDN match hand-computed values") {
  GDN gdn(2, false), igdn(2, true);
  torch::Tensor gamma = torch::tensor({{0.1f, 0.2f}, {0.0f, 0.1f}});
  set(gdn->gamma, gdn->gamma_reparam->init(gamma));
  set(igdn->gamma, igdn->gamma_reparam->init(gamma));
  torch::Tensor x = torch::tensor({1.0f, 2.0f}).reshape({1, 2, 1, 1});
  // norm_0 = 1 + 0.1*1 + 0.2*4 = 1.9; norm_1 = 1 + 0.1*4 = 1.4
  torch::Tensor y = gdn(x), z = igdn(x);
  CHECK(px(y, 0, 0, 0) == doctest::Approx(1.0 / std::sqrt(1.9)).epsilon(1e-6));
  CHECK(px(y, 1, 0, 0) == doctest::Approx(2.0 / std::sqrt(1.4)).epsilon(1e-6));
  CHECK(px(z, 0, 0, 0) == doctest::Approx(std::sqrt(1.9)).epsilon(1e-6));
  CHECK(px(z, 1, 0, 0) == doctest::Approx(2.0 * std::sqrt(1.4)).epsilon(1e-6));
  auto names = gdn->named_parameters().keys();
  CHECK(names == std::vector<std::string>{"beta", "gamma"});
  CHECK(gdn->named_buffers().contains("beta_reparam.lower_bound.bound"));
}

TEST_CASE("masked convolution type A sees earlier positions only, type B also the centre") {
  torch::Tensor x = torch::arange(1, 10, torch::kFloat32).reshape({1, 1, 3, 3});
  for (char type : {'A', 'B'}) {
    MaskedConv2d m(1, 1, 3, type);
    set(m->weight, torch::ones({1, 1, 3, 3}));
    set(m->bias, torch::zeros({1}));
    // centre: 1 + 2 + 3 + 4 (+ 5 for type B)
    CHECK(px(m(x), 0, 1, 1) == (type == 'A' ? 10.0f : 15.0f));
    // top-left: nothing before it (type A), itself (type B)
    CHECK(px(m(x), 0, 0, 0) == (type == 'A' ? 0.0f : 1.0f));
  }
}

TEST_CASE("transposed convolution: hand-computed single pixel and sub-pixel form equal to conv_transpose2d") {
  Deconv2d d(1, 1);
  set(d->weight, torch::arange(25, torch::kFloat32).reshape({1, 1, 5, 5}));
  set(d->bias, torch::zeros({1}));
  d->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor y = d(torch::ones({1, 1, 1, 1}));
  REQUIRE(y.sizes() == torch::IntArrayRef({1, 1, 2, 2}));
  CHECK(px(y, 0, 0, 0) == 12.0f);
  CHECK(px(y, 0, 0, 1) == 13.0f);
  CHECK(px(y, 0, 1, 0) == 17.0f);
  CHECK(px(y, 0, 1, 1) == 18.0f);

  torch::manual_seed(3);
  for (int64_t k : {3, 5}) {
    Deconv2d r(6, 4, k);
    r->eval();
    torch::Tensor x = torch::randn({2, 6, 7, 5});
    torch::Tensor ref = torch::conv_transpose2d(x, r->weight, r->bias, 2, k / 2, 1);
    torch::Tensor sub = r(x);
    REQUIRE(sub.sizes() == ref.sizes());
    CHECK((sub - ref).abs().max().item<float>() < 1e-5f);
  }
}

TEST_CASE("residual block matches a hand-computed 1x1 case") {
  ResidualBlock b(1, 1);
  set(b->conv1->weight, torch::zeros({1, 1, 3, 3}).index_put_({0, 0, 1, 1}, 2.0));
  set(b->conv1->bias, torch::zeros({1}));
  set(b->conv2->weight, torch::zeros({1, 1, 3, 3}).index_put_({0, 0, 1, 1}, 3.0));
  set(b->conv2->bias, torch::full({1}, -1.0));
  torch::Tensor x = torch::tensor({-1.0f, 1.0f}).reshape({1, 1, 1, 2});
  torch::Tensor y = b(x);
  // -1 -> -2 -> -0.02 -> -1.06 -> -0.0106 -> -1.0106;  1 -> 2 -> 2 -> 5 -> 5 -> 6
  CHECK(px(y, 0, 0, 0) == doctest::Approx(-1.0106).epsilon(1e-6));
  CHECK(px(y, 0, 0, 1) == doctest::Approx(6.0).epsilon(1e-6));
}

TEST_CASE("cheng2020 blocks: shapes, parameter names and a gated-off attention is the identity") {
  torch::Tensor x = torch::randn({1, 8, 8, 8});
  CHECK(ResidualBlockWithStride(8, 6)(x).sizes() == torch::IntArrayRef({1, 6, 4, 4}));
  CHECK(ResidualBlockUpsample(8, 6)(x).sizes() == torch::IntArrayRef({1, 6, 16, 16}));
  CHECK(ResidualBlock(8, 6)(x).sizes() == torch::IntArrayRef({1, 6, 8, 8}));
  CHECK(ResidualBlockUpsample(8, 6)->named_parameters().contains("subpel_conv.0.weight"));
  CHECK(ResidualBlockWithStride(8, 6)->named_parameters().contains("gdn.gamma"));

  AttentionBlock a(8);
  CHECK(a->named_parameters().contains("conv_b.3.weight"));
  CHECK(a->named_parameters().contains("conv_a.2.conv.4.bias"));
  auto last = a->conv_b[3]->as<torch::nn::Conv2d>();
  set(last->weight, torch::zeros_like(last->weight));
  set(last->bias, torch::full_like(last->bias, -200.0));
  CHECK((a(x) - x).abs().max().item<float>() < 1e-6f);
}
