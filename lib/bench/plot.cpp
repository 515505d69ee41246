#include "bench/plot.hpp"

namespace tiny::bench {

std::string display_name(const std::string& name, bool published) { return published ? "published: " + name : name; }

plot::LinePlot rd_plot(const std::vector<Curve>& curves, PlotMetric metric, const std::string& title, double bpp_max) {
  plot::LinePlot p{title, "bits per pixel", metric == PlotMetric::psnr ? "PSNR-RGB (dB)" : "MS-SSIM (dB)", {}, {0, bpp_max}, {}};
  for (const Curve& c : curves)
    if (std::vector<double> y = metric == PlotMetric::psnr ? c.psnr : ms_ssim_db(c); !y.empty())
      p.series.push_back({display_name(c.name, c.published), c.bpp, std::move(y), true, c.published});
  return p;
}

}  // namespace tiny::bench
