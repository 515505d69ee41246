#pragma once
// Rate–distortion plots of bench curves: quality against bpp, one series per curve, curves read from
// results files (published or --compare) dashed and named "published: …".
#include "bench/results.hpp"
#include "plot/plot.hpp"

namespace tiny::bench {

enum class PlotMetric { psnr, ms_ssim_db };

// The RD plot of the curves that have the metric's values, titled `title`, bpp from 0 to `bpp_max`.
plot::LinePlot rd_plot(const std::vector<Curve>& curves, PlotMetric metric, const std::string& title, double bpp_max = 1.5);
// The name a curve has in plots and tables: "published: NAME" for curves read from results files.
std::string display_name(const std::string& name, bool published);

}  // namespace tiny::bench
