// The oneDNN transforms against torch running the same modules.
#include "nn/layers.hpp"
#include "nn/onednn_transform.hpp"
#include "nn/threads.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace tiny::nn;

namespace {

// bmshj2018's analysis and synthesis shapes with n and m channels, with GDN parameters moved off their
// initial values so the test sees them.
torch::nn::Sequential analysis(int64_t n, int64_t m) {
  return torch::nn::Sequential(conv(3, n), GDN(n, false), conv(n, n), GDN(n, false), conv(n, m));
}
torch::nn::Sequential synthesis(int64_t n, int64_t m) {
  return torch::nn::Sequential(Deconv2d(m, n), GDN(n, true), Deconv2d(n, n), GDN(n, true), Deconv2d(n, 3));
}

void perturb_gdn(torch::nn::Sequential& seq) {
  torch::NoGradGuard no_grad;
  for (auto& m : seq->modules(false))
    if (auto* g = dynamic_cast<GDNImpl*>(m.get())) {
      const int64_t c = g->beta.size(0);
      g->beta.copy_(g->beta_reparam->init(torch::rand({c}) + 0.5));
      g->gamma.copy_(g->gamma_reparam->init(torch::rand({c, c}) * 0.1 / double(c)));
    }
}

double max_relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

}  // namespace

TEST_CASE("oneDNN transforms agree with torch: block-sized and odd channel counts, odd sizes") {
  if (!OnednnTransform::available()) {
    MESSAGE("skipped: tiny was built without oneDNN");
    return;
  }
  torch::manual_seed(3);
  struct Size { int64_t n, m, h, w; };
  for (Size s : {Size{16, 32, 64, 80}, Size{8, 12, 48, 32}, Size{32, 48, 16, 16}}) {
    CAPTURE(s.n);
    CAPTURE(s.m);
    auto g_a = analysis(s.n, s.m), g_s = synthesis(s.n, s.m);
    perturb_gdn(g_a);
    perturb_gdn(g_s);
    g_a->eval();
    g_s->eval();
    torch::NoGradGuard no_grad;
    torch::Tensor x = torch::rand({1, 3, s.h, s.w});
    auto fast_a = OnednnTransform::compile(g_a, ConvAlgorithm::direct);
    auto fast_s = OnednnTransform::compile(g_s, ConvAlgorithm::winograd);
    REQUIRE(fast_a);
    REQUIRE(fast_s);
    torch::Tensor y = fast_a->forward(x), y_ref = g_a->forward(x);
    REQUIRE(y.defined());
    REQUIRE(y.sizes() == y_ref.sizes());
    CHECK(max_relative_error(y, y_ref) < 1e-5);
    torch::Tensor x_hat = fast_s->forward(y_ref), x_ref = g_s->forward(y_ref);
    REQUIRE(x_hat.defined());
    REQUIRE(x_hat.sizes() == x_ref.sizes());
    CHECK(max_relative_error(x_hat, x_ref) < 1e-4);
    // Channels-last input reads the same.
    CHECK(torch::equal(fast_s->forward(y_ref.contiguous(torch::MemoryFormat::ChannelsLast)), x_hat));
  }
}

TEST_CASE("oneDNN transforms: (leaky) ReLUs after convolutions, as in the hyper-analyses") {
  if (!OnednnTransform::available()) {
    MESSAGE("skipped: tiny was built without oneDNN");
    return;
  }
  torch::manual_seed(7);
  torch::nn::Sequential leaky(conv(48, 32, 3, 1), leaky_relu(), conv(32, 32), leaky_relu(), conv(32, 32));
  torch::nn::Sequential plain_relu(conv(48, 16, 3, 1), torch::nn::ReLU(), Deconv2d(16, 16), torch::nn::ReLU(), conv(16, 16));
  torch::NoGradGuard no_grad;
  torch::Tensor y = torch::randn({1, 48, 16, 24});
  for (auto* seq : {&leaky, &plain_relu}) {
    (*seq)->eval();
    auto fast = OnednnTransform::compile(*seq, ConvAlgorithm::direct);
    REQUIRE(fast);
    torch::Tensor z = fast->forward(y), z_ref = (*seq)->forward(y);
    REQUIRE(z.defined());
    REQUIRE(z.sizes() == z_ref.sizes());
    CHECK(max_relative_error(z, z_ref) < 1e-5);
  }
}

TEST_CASE("oneDNN transforms: results do not depend on the thread count; new weights are picked up") {
  if (!OnednnTransform::available()) {
    MESSAGE("skipped: tiny was built without oneDNN");
    return;
  }
  torch::manual_seed(4);
  auto g_a = analysis(32, 48), g_s = synthesis(32, 48);
  g_a->eval();
  g_s->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::rand({1, 3, 64, 96});
  TransformRunner a(ConvAlgorithm::direct), s(ConvAlgorithm::winograd);
  const int threads = at::get_num_threads();
  set_torch_threads(1);
  torch::Tensor y1 = a.forward(g_a, x), x1 = s.forward(g_s, y1);
  set_torch_threads(2);
  torch::Tensor y2 = a.forward(g_a, x), x2 = s.forward(g_s, y1);
  set_torch_threads(threads);
  CHECK(torch::equal(y1, y2));
  CHECK(torch::equal(x1, x2));

  for (auto& p : g_s->parameters()) p.mul_(0.5);
  torch::Tensor x3 = s.forward(g_s, y1);
  CHECK(max_relative_error(x3, g_s->forward(y1)) < 1e-4);
  CHECK_FALSE(torch::allclose(x3, x1));
}

TEST_CASE("oneDNN transforms: one runner used from several threads at once gives every thread the same result") {
  torch::manual_seed(6);
  auto g_s = synthesis(16, 32);
  g_s->eval();
  torch::NoGradGuard outer;
  torch::Tensor y = torch::randn({1, 32, 8, 12});
  TransformRunner runner(ConvAlgorithm::winograd);
  const torch::Tensor expected = runner.forward(g_s, y);
  std::vector<torch::Tensor> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] {
      torch::NoGradGuard no_grad;
      for (int r = 0; r < 3; ++r) results[i] = runner.forward(g_s, y);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(torch::equal(r, expected));
}

TEST_CASE("oneDNN transforms: layers it does not run, training and batches go to torch") {
  torch::manual_seed(5);
  torch::nn::Sequential with_sigmoid(conv(3, 16), torch::nn::Sigmoid(), conv(16, 16));
  CHECK(OnednnTransform::compile(with_sigmoid, ConvAlgorithm::direct) == nullptr);
  torch::nn::Sequential relu_first(torch::nn::ReLU(), conv(3, 16));
  CHECK(OnednnTransform::compile(relu_first, ConvAlgorithm::direct) == nullptr);
  auto g_a = analysis(16, 16);
  TransformRunner runner(ConvAlgorithm::direct);
  torch::Tensor batch = torch::rand({2, 3, 32, 32});
  torch::NoGradGuard no_grad;
  g_a->eval();
  CHECK(torch::equal(runner.forward(g_a, batch), g_a->forward(batch)));
  g_a->train();
  torch::Tensor one = torch::rand({1, 3, 32, 32});
  CHECK(torch::equal(runner.forward(g_a, one), g_a->forward(one)));
}
