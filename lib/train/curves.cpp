#include "train/curves.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

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
  struct Metric {
    const char* key;
    const char* label;
    bool smoothed;  // the training values are noisy: plot their moving average
  };
  static const Metric metrics[] = {{"loss", "loss", true}, {"bpp", "bits per pixel", true}, {"psnr", "PSNR (dB)", true},
                                   {"lr", "learning rate", false}};
  constexpr size_t kMetrics = std::size(metrics);
  // Validation lines of variable-rate runs carry their level: one series per level (-1: none given).
  Column train[kMetrics];
  std::map<long, Column> eval[kMetrics];
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Json j = parse_json(line, fmt::format("{} line {}", metrics_path, number));
    if (!j.is_object() || !j.contains("step") || !j["step"].is_number())
      throw Error(file_error(metrics_path, fmt::format("line {} has no step", number)));
    const bool is_eval = j.value("eval", false);
    const long level = j.contains("level") && j["level"].is_number_integer() ? j["level"].get<long>() : -1;
    for (size_t k = 0; k < kMetrics; ++k) {
      const char* key = metrics[k].key;
      if (!j.contains(key) || !j[key].is_number()) continue;
      Column& c = is_eval ? eval[k][level] : train[k];
      c.step.push_back(j["step"].get<double>());
      c.value.push_back(j[key].get<double>());
    }
  }
  if (train[0].step.empty() && eval[0].empty()) throw Error(file_error(metrics_path, "holds no metrics"));
  const std::string run = fs::absolute(metrics_path).parent_path().filename().string();
  std::vector<NamedPlot> plots;
  for (size_t k = 0; k < kMetrics; ++k) {
    const Metric& m = metrics[k];
    plot::LinePlot p;
    p.title = fmt::format("{}: {}", run, m.label);
    p.x_label = "step";
    p.y_label = m.label;
    p.x.lo = 0;
    if (!train[k].step.empty())
      p.series.push_back({m.smoothed ? fmt::format("training (mean of {})", smoothing) : "training", train[k].step,
                          m.smoothed ? moving_average(train[k].value, smoothing) : train[k].value, false});
    for (const auto& [level, c] : eval[k])
      p.series.push_back({level < 0 ? std::string("validation") : fmt::format("validation, level {}", level), c.step, c.value, true});
    if (!p.series.empty()) plots.push_back({m.key, std::move(p)});
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
  for (const auto& p : plots)
    for (const std::string& f : plot::write_plot(p.plot, (dir / p.name).string(), overwrite)) files.push_back(f);
  return files;
}

}  // namespace tiny::train
