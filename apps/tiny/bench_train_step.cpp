// tiny bench train-step: one training step of mbt2018-mean on the CPU, with the synthesis
// transform's transposed convolutions in plain and in sub-pixel form.
#include "bench/train_step_bench.hpp"
#include "commands.hpp"
#include "core/table.hpp"
#include "nn/threads.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

// CompressAI's mbt2018-mean step (batch 8, 256x256, 2 threads) on PyTorch 1.13 with OpenBLAS on
// this kind of machine, as given in the training issue; CompressAI is not installed here to run it.
constexpr double kCompressaiSeconds = 5.2;

struct BenchTrainStepOptions {
  std::string arch = "mbt2018-mean";
  int quality = 3, batch = 8, size = 256, repeats = 2;
  bool quick = false;
};

int run_bench_train_step(const BenchTrainStepOptions& o, const GlobalOptions& g) {
  nn::set_torch_threads(g.threads);
  bench::StepBenchResult r = o.quick ? bench::bench_train_step(o.arch, o.quality, 2, 128, 1)
                                     : bench::bench_train_step(o.arch, o.quality, o.batch, o.size, o.repeats);
  const double best = std::min(r.transposed_seconds, r.subpixel_seconds);
  if (g.json) {
    print_json({{"benchmark", "train-step"},
                {"arch", r.arch},
                {"quality", r.quality},
                {"batch", r.batch},
                {"size", r.size},
                {"threads", r.threads},
                {"repeats", r.repeats},
                {"transposed_seconds", r.transposed_seconds},
                {"subpixel_seconds", r.subpixel_seconds},
                {"subpixel_speedup", r.transposed_seconds / r.subpixel_seconds},
                {"transposed_cpu_seconds", r.transposed_cpu_seconds},
                {"subpixel_cpu_seconds", r.subpixel_cpu_seconds},
                {"subpixel_cpu_speedup", r.transposed_cpu_seconds / r.subpixel_cpu_seconds},
                {"max_difference", r.max_difference},
                {"compressai_seconds_published", kCompressaiSeconds},
                {"vs_compressai", kCompressaiSeconds / best}});
    return 0;
  }
  Table table({"form", "step (s)", "vs conv_transpose2d", "CPU (s)", "CPU vs conv_transpose2d"});
  table.add_row({"conv_transpose2d", fmt::format("{:.3f}", r.transposed_seconds), "1.00x",
                 fmt::format("{:.3f}", r.transposed_cpu_seconds), "1.00x"});
  table.add_row({"sub-pixel", fmt::format("{:.3f}", r.subpixel_seconds),
                 fmt::format("{:.2f}x", r.transposed_seconds / r.subpixel_seconds),
                 fmt::format("{:.3f}", r.subpixel_cpu_seconds),
                 fmt::format("{:.2f}x", r.transposed_cpu_seconds / r.subpixel_cpu_seconds)});
  std::cout << fmt::format("{} q{}, batch {}, {}x{}, {} threads, fastest of {} steps\n", r.arch, r.quality, r.batch,
                           r.size, r.size, r.threads, r.repeats)
            << table.render()
            << fmt::format("forms agree to {:.2g}; CompressAI (published, batch 8, 256x256, 2 threads): {:.1f} s\n",
                           r.max_difference, kCompressaiSeconds);
  return 0;
}

}  // namespace

void register_bench_train_step(Cli& cli) {
  auto o = std::make_shared<BenchTrainStepOptions>();
  CLI::App* sub = cli.add("train-step",
                          "Time one training step (transposed convolutions plain vs sub-pixel)",
                          "  tiny bench train-step --threads 2\n"
                          "  tiny bench train-step --quick --json",
                          [o, &cli] { return run_bench_train_step(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_option("--arch", o->arch, "Architecture")->capture_default_str();
  sub->add_option("--quality", o->quality, "Quality")->capture_default_str();
  sub->add_option("--batch", o->batch, "Batch size")->capture_default_str();
  sub->add_option("--size", o->size, "Patch side (multiple of 64)")->capture_default_str();
  sub->add_option("--repeats", o->repeats, "Timed steps per form (the fastest is reported)")->capture_default_str();
  sub->add_flag("--quick", o->quick, "Batch 2, 128x128, one timed step (seconds, for CI)");
}

}  // namespace tiny::cli
