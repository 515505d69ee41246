#pragma once
// The learned quality scorer of filter-dataset: any TorchScript model the user supplies, fed
// batches of images preprocessed as the options describe, returning one score per image ([N] or
// [N, 1]). This header is torch-free; the model runs on the CPU in libtorch's pool (--threads).
#include "dataset/score.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tiny::scorer {

struct ScorerOptions {
  std::string model;                   // TorchScript file (torch.jit.save, torch::jit::Module::save)
  int size = 224;                      // the model takes size x size images
  std::string resize = "center-crop";  // center-crop: shorter side to `size`, then the central square;
                                       // stretch: to size x size, aspect ratio ignored
  std::vector<double> mean{0, 0, 0};   // per channel in the model's channel order (one value: all)
  std::vector<double> std{1, 1, 1};
  std::string channels = "rgb";        // the model's channel order: rgb or bgr
  double range = 1;                    // pixels are scaled to 0..range, then (x - mean) / std
  int batch = 16;                      // images per forward pass
};

// Checks the options and loads the model: UsageError for inconsistent options, Error naming the
// file if it is missing or not a loadable TorchScript model.
std::unique_ptr<dataset::ImageScorer> load_scorer(const ScorerOptions& options);

}  // namespace tiny::scorer
