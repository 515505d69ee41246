#include "bench/plot.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tiny::bench {
namespace {

constexpr int kWidth = 800, kHeight = 560, kLeft = 70, kRight = 190, kTop = 40, kBottom = 60;
const char* const kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

struct Layout {
  LinePlot plot;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return kLeft + (x - x0) / (x1 - x0) * (kWidth - kLeft - kRight); }
  double py(double y) const { return kHeight - kBottom - (y - y0) / (y1 - y0) * (kHeight - kTop - kBottom); }
};

Layout layout(const LinePlot& plot) {
  Layout l{plot};
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
  for (const PlotSeries& s : plot.series)
    for (size_t i = 0; i < s.y.size() && i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
      xmin = std::min(xmin, s.x[i]), xmax = std::max(xmax, s.x[i]);
      ymin = std::min(ymin, s.y[i]), ymax = std::max(ymax, s.y[i]);
    }
  if (!std::isfinite(ymin)) throw Error("plot: no curve has values to plot");
  if (plot.rd_axes) {
    l.x1 = xmax > 0 ? std::ceil(xmax * 4) / 4 : 1;
    l.y0 = std::floor(ymin) - 1;
    l.y1 = std::ceil(ymax) + 1;
  } else {
    const double dx = xmax > xmin ? xmax - xmin : 1, dy = ymax > ymin ? ymax - ymin : 1;
    l.x0 = xmin, l.x1 = xmin + dx;
    l.y0 = ymin - 0.05 * dy, l.y1 = ymax + 0.05 * dy;
  }
  return l;
}

std::vector<double> ticks(double lo, double hi) {
  double step = std::pow(10, std::floor(std::log10((hi - lo) / 5)));
  if ((hi - lo) / step > 10) step *= 2;
  if ((hi - lo) / step > 10) step *= 2.5;
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9; v += step) t.push_back(v);
  return t;
}

cv::Scalar bgr(const char* hex) {
  unsigned v = std::stoul(std::string(hex + 1), nullptr, 16);
  return cv::Scalar(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
}

}  // namespace

LinePlot rd_plot(const std::vector<Curve>& curves, PlotMetric metric) {
  LinePlot plot;
  plot.x_label = "bits per pixel";
  plot.y_label = metric == PlotMetric::psnr ? "PSNR-RGB (dB)" : "MS-SSIM (dB)";
  plot.rd_axes = true;
  for (const Curve& c : curves) {
    std::vector<double> y = metric == PlotMetric::psnr ? c.psnr : ms_ssim_db(c);
    if (!y.empty()) plot.series.push_back({c.name, c.bpp, y, true});
  }
  return plot;
}

std::string render_svg(const std::vector<Curve>& curves, PlotMetric metric) { return render_svg(rd_plot(curves, metric)); }

Bytes render_png(const std::vector<Curve>& curves, PlotMetric metric) { return render_png(rd_plot(curves, metric)); }

std::string render_svg(const LinePlot& plot) {
  Layout l = layout(plot);
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      kWidth, kHeight);
  for (double t : ticks(l.x0, l.x1))
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0:.1f}\" y=\"{3}\" "
                     "text-anchor=\"middle\">{4:g}</text>\n",
                     l.px(t), kTop, kHeight - kBottom, kHeight - kBottom + 16, t);
  for (double t : ticks(l.y0, l.y1))
    s += fmt::format("<line x1=\"{1}\" y1=\"{0:.1f}\" x2=\"{2}\" y2=\"{0:.1f}\" stroke=\"#ddd\"/><text x=\"{3}\" y=\"{0:.1f}\" "
                     "text-anchor=\"end\" dominant-baseline=\"middle\">{4:g}</text>\n",
                     l.py(t), kLeft, kWidth - kRight, kLeft - 6, t);
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n", kLeft, kTop,
                   kWidth - kLeft - kRight, kHeight - kTop - kBottom);
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (kLeft + kWidth - kRight) / 2,
                   kHeight - 20, plot.x_label);
  s += fmt::format("<text transform=\"translate(18 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   (kTop + kHeight - kBottom) / 2, plot.y_label);
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const PlotSeries& se = plot.series[k];
    const char* color = kColors[k % std::size(kColors)];
    std::string pts;
    for (size_t i = 0; i < se.x.size(); ++i)
      if (std::isfinite(se.y[i])) {
        pts += fmt::format("{:.1f},{:.1f} ", l.px(se.x[i]), l.py(se.y[i]));
        if (se.markers)
          s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", l.px(se.x[i]), l.py(se.y[i]), color);
      }
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", pts, color);
    std::string name;
    for (char ch : se.name) name += ch == '<' ? "&lt;" : ch == '>' ? "&gt;" : ch == '&' ? "&amp;" : std::string(1, ch);
    int ly = kTop + 10 + static_cast<int>(k) * 18;
    s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/><text x=\"{4}\" "
                     "y=\"{1}\" dominant-baseline=\"middle\">{5}</text>\n",
                     kWidth - kRight + 10, ly, kWidth - kRight + 30, color, kWidth - kRight + 36, name);
  }
  return s + "</svg>\n";
}

Bytes render_png(const LinePlot& plot) {
  Layout l = layout(plot);
  cv::Mat m(kHeight, kWidth, CV_8UC3, cv::Scalar(255, 255, 255));
  const auto font = cv::FONT_HERSHEY_SIMPLEX;
  for (double t : ticks(l.x0, l.x1)) {
    cv::line(m, {int(l.px(t)), kTop}, {int(l.px(t)), kHeight - kBottom}, cv::Scalar(221, 221, 221));
    cv::putText(m, fmt::format("{:g}", t), {int(l.px(t)) - 10, kHeight - kBottom + 18}, font, 0.4, cv::Scalar(0, 0, 0));
  }
  for (double t : ticks(l.y0, l.y1)) {
    cv::line(m, {kLeft, int(l.py(t))}, {kWidth - kRight, int(l.py(t))}, cv::Scalar(221, 221, 221));
    cv::putText(m, fmt::format("{:g}", t), {kLeft - 40, int(l.py(t)) + 4}, font, 0.4, cv::Scalar(0, 0, 0));
  }
  cv::rectangle(m, {kLeft, kTop}, {kWidth - kRight, kHeight - kBottom}, cv::Scalar(0, 0, 0));
  cv::putText(m, plot.x_label, {(kLeft + kWidth - kRight) / 2 - 45, kHeight - 20}, font, 0.45, cv::Scalar(0, 0, 0));
  cv::putText(m, plot.y_label, {kLeft, kTop - 14}, font, 0.45, cv::Scalar(0, 0, 0));
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const PlotSeries& se = plot.series[k];
    cv::Scalar color = bgr(kColors[k % std::size(kColors)]);
    std::vector<cv::Point> pts;
    for (size_t i = 0; i < se.x.size(); ++i)
      if (std::isfinite(se.y[i])) pts.emplace_back(int(l.px(se.x[i])), int(l.py(se.y[i])));
    cv::polylines(m, pts, false, color, 2, cv::LINE_AA);
    if (se.markers)
      for (const cv::Point& p : pts) cv::circle(m, p, 3, color, cv::FILLED, cv::LINE_AA);
    int ly = kTop + 10 + static_cast<int>(k) * 18;
    cv::line(m, {kWidth - kRight + 10, ly}, {kWidth - kRight + 30, ly}, color, 2);
    cv::putText(m, se.name, {kWidth - kRight + 36, ly + 4}, font, 0.4, cv::Scalar(0, 0, 0));
  }
  std::vector<uint8_t> out;
  if (!cv::imencode(".png", m, out)) throw Error("plot: PNG encoding failed");
  return out;
}

}  // namespace tiny::bench
