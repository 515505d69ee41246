#include "train/curves.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace tiny::train {
namespace {

namespace fs = std::filesystem;

struct Column {
  std::vector<double> step, value;
};

// Mean of each value and the window - 1 values before it.
std::vector<double> moving_average(const std::vector<double>& v, size_t window) {
  std::vector<double> out(v.size());
  double sum = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    sum += v[i];
    if (i >= window) sum -= v[i - window];
    out[i] = sum / double(std::min(i + 1, window));
  }
  return out;
}

}  // namespace

std::vector<NamedPlot> training_plots(const std::string& metrics_path, size_t smoothing) {
  std::ifstream in(metrics_path);
  if (!in) throw Error(file_error(metrics_path, "cannot open the metrics log"));
  const char* keys[] = {"loss", "bpp", "psnr"};
  Column train[3], eval[3];
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Json j = parse_json(line, fmt::format("{} line {}", metrics_path, number));
    if (!j.is_object() || !j.contains("step") || !j["step"].is_number())
      throw Error(file_error(metrics_path, fmt::format("line {} has no step", number)));
    const bool is_eval = j.value("eval", false);
    for (int k = 0; k < 3; ++k) {
      if (!j.contains(keys[k]) || !j[keys[k]].is_number()) continue;
      Column& c = is_eval ? eval[k] : train[k];
      c.step.push_back(j["step"].get<double>());
      c.value.push_back(j[keys[k]].get<double>());
    }
  }
  if (train[0].step.empty() && eval[0].step.empty()) throw Error(file_error(metrics_path, "holds no metrics"));
  const char* labels[] = {"loss", "bits per pixel", "PSNR (dB)"};
  std::vector<NamedPlot> plots;
  for (int k = 0; k < 3; ++k) {
    bench::LinePlot p;
    p.x_label = "step";
    p.y_label = labels[k];
    if (!train[k].step.empty())
      p.series.push_back({fmt::format("training (mean of {})", smoothing), train[k].step,
                          moving_average(train[k].value, smoothing), false});
    if (!eval[k].step.empty()) p.series.push_back({"validation", eval[k].step, eval[k].value, true});
    if (!p.series.empty()) plots.push_back({keys[k], std::move(p)});
  }
  return plots;
}

std::vector<std::string> write_training_plots(const std::string& run_dir, bool overwrite) {
  const std::vector<NamedPlot> plots = training_plots((fs::path(run_dir) / "metrics.jsonl").string());
  const fs::path dir = fs::path(run_dir) / "plots";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(file_error(dir.string(), "cannot create the folder: " + ec.message()));
  std::vector<std::string> files;
  for (const auto& p : plots) {
    const std::string svg = (dir / (p.name + ".svg")).string(), png = (dir / (p.name + ".png")).string();
    write_file_atomic(svg, bench::render_svg(p.plot), overwrite);
    write_file_atomic(png, bench::render_png(p.plot), overwrite);
    files.push_back(svg);
    files.push_back(png);
  }
  return files;
}

}  // namespace tiny::train
