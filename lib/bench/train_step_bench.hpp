#pragma once
// `tiny bench train-step`: one full training step (forward, rate-distortion loss, backward,
// clipping, both Adam updates) of a zoo model on random images, timed with the synthesis
// transform's transposed convolutions as plain conv_transpose2d and in their sub-pixel form
// (train/subpixel.hpp).
#include <string>

namespace tiny::bench {

struct StepBenchResult {
  std::string arch;
  int quality = 0, batch = 0, size = 0, repeats = 0, threads = 0;
  double transposed_seconds = 0;  // fastest step, conv_transpose2d form (wall clock)
  double subpixel_seconds = 0;    // fastest step, sub-pixel form (wall clock)
  double transposed_cpu_seconds = 0, subpixel_cpu_seconds = 0;  // process CPU time of those steps
  double max_difference = 0;      // largest |x_hat| difference between the two forms (same weights)
};

// Times `repeats` steps of each form after one warm-up step (throws UsageError on bad sizes).
StepBenchResult bench_train_step(const std::string& arch, int quality, int batch, int size, int repeats);

}  // namespace tiny::bench
