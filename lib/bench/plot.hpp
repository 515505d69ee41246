#pragma once
// Line plots as SVG and PNG: rate–distortion plots (quality against bpp, one line per curve) and any
// other series (training curves).
#include "bench/results.hpp"
#include "core/file_io.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

enum class PlotMetric { psnr, ms_ssim_db };

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;  // non-finite y values are skipped
  bool markers = true;       // a dot at every point
};

struct LinePlot {
  std::vector<PlotSeries> series;
  std::string x_label, y_label;
  bool rd_axes = false;  // x from 0 to the next quarter, y to whole units ±1 (else the data ±5%)
};

// The RD plot of the curves (curves without the metric's values are left out).
LinePlot rd_plot(const std::vector<Curve>& curves, PlotMetric metric);
// SVG text of a plot; throws tiny::Error if no series has a value.
std::string render_svg(const LinePlot& plot);
// PNG bytes of the same plot, drawn with OpenCV.
Bytes render_png(const LinePlot& plot);
// render_svg / render_png of rd_plot(curves, metric).
std::string render_svg(const std::vector<Curve>& curves, PlotMetric metric);
Bytes render_png(const std::vector<Curve>& curves, PlotMetric metric);

}  // namespace tiny::bench
