#include "bench/train_step_bench.hpp"

#include "bench/timing.hpp"
#include "codec/model.hpp"
#include "core/error.hpp"
#include "train/loss.hpp"
#include "train/subpixel.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <tuple>

namespace tiny::bench {

using namespace train;

namespace {

// The fastest of `repeats` steps after a warm-up step: wall seconds, and the CPU seconds of that step.
std::pair<double, double> timed_steps(codec::CompressionModel& model, const torch::Tensor& x, int repeats) {
  std::vector<torch::Tensor> net, aux;
  for (auto& p : model.named_parameters(true))
    (p.key().find("quantiles") != std::string::npos ? aux : net).push_back(p.value());
  torch::optim::Adam optimizer(net, torch::optim::AdamOptions(1e-4)), aux_optimizer(aux, torch::optim::AdamOptions(1e-3));
  double best = 1e300, best_cpu = 0;
  for (int r = 0; r <= repeats; ++r) {
    const Timing t = time_of([&] {
      optimizer.zero_grad();
      aux_optimizer.zero_grad();
      RdLoss l = rd_loss(model.forward(x), x, model.config.lambda);
      l.loss.backward();
      torch::nn::utils::clip_grad_norm_(net, 1.0);
      optimizer.step();
      model.aux_loss().backward();
      aux_optimizer.step();
    });
    if (r > 0 && t.wall < best) {
      best = t.wall;
      best_cpu = t.cpu;
    }
  }
  return {best, best_cpu};
}

}  // namespace

StepBenchResult bench_train_step(const std::string& arch, int quality, int batch, int size, int repeats) {
  if (batch < 1 || size < 64 || size % 64 != 0 || repeats < 1)
    throw UsageError("train-step benchmark: batch >= 1, size a multiple of 64 and repeats >= 1 are needed");
  StepBenchResult r;
  r.arch = arch;
  r.quality = quality;
  r.batch = batch;
  r.size = size;
  r.repeats = repeats;
  r.threads = torch::get_num_threads();
  const codec::ArchConfig config = codec::zoo_config(arch, quality);
  torch::manual_seed(0);
  torch::Tensor x = torch::rand({batch, 3, size, size});
  std::shared_ptr<codec::CompressionModel> plain = codec::make_model(config);
  std::shared_ptr<codec::CompressionModel> subpixel = codec::make_model(config);
  {
    torch::NoGradGuard no_grad;
    auto from = plain->named_parameters(true);
    for (auto& p : subpixel->named_parameters(true)) p.value().copy_(from[p.key()]);
    if (!use_subpixel_synthesis(*subpixel))
      throw UsageError(arch + ": the synthesis transform has no transposed convolutions to compare");
    torch::Tensor y = torch::randn({1, config.M, 4, 4});
    r.max_difference = (plain->g_s->forward(y) - subpixel->g_s->forward(y)).abs().max().item<double>();
  }
  plain->train();
  subpixel->train();
  std::tie(r.transposed_seconds, r.transposed_cpu_seconds) = timed_steps(*plain, x, repeats);
  std::tie(r.subpixel_seconds, r.subpixel_cpu_seconds) = timed_steps(*subpixel, x, repeats);
  return r;
}

}  // namespace tiny::bench
