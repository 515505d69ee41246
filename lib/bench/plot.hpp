#pragma once
// Rate–distortion plots (quality against bpp, one line per curve) as SVG and PNG.
#include "bench/results.hpp"
#include "core/file_io.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

enum class PlotMetric { psnr, ms_ssim_db };

// SVG text of the plot of the curves (curves without the metric's values are left out).
std::string render_svg(const std::vector<Curve>& curves, PlotMetric metric);
// PNG bytes of the same plot, drawn with OpenCV.
Bytes render_png(const std::vector<Curve>& curves, PlotMetric metric);

}  // namespace tiny::bench
