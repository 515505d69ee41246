#pragma once
// Training curves from a run's metrics log (`metrics.jsonl`): loss, bpp, PSNR and learning rate against
// the step, the noisy training values smoothed over a window and the validation values as points (one
// series per level for variable-rate runs).
// No torch here.
#include "plot/plot.hpp"

#include <string>
#include <vector>

namespace tiny::train {

struct NamedPlot {
  std::string name;  // file stem: "loss", "bpp", "psnr", "lr"
  plot::LinePlot plot;
};

// The plots of a metrics log; throws tiny::Error naming the file if it is missing, malformed or empty.
std::vector<NamedPlot> training_plots(const std::string& metrics_path, size_t smoothing = 50);
// Writes the plots of <run_dir>/metrics.jsonl as <run_dir>/plots/<name>.svg and .png; returns the files.
std::vector<std::string> write_training_plots(const std::string& run_dir, bool overwrite);

}  // namespace tiny::train
