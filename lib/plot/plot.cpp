#include "plot/plot.hpp"

#include "core/error.hpp"
#include "plot/axis.hpp"
#include "plot/style.hpp"

#include <cairo-svg.h>
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <limits>

namespace tiny::plot {
namespace {

constexpr double kPlotWidth = 620, kPlotHeight = 420, kPad = 14, kFont = 13, kTitleFont = 15, kRow = 20;
constexpr double kPngScale = 2, kInf = std::numeric_limits<double>::infinity();

// Calls f(x, y) for every point of `s` with finite coordinates.
template <class F>
void each_point(const Series& s, F f) {
  for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i)
    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) f(s.x[i], s.y[i]);
}

// Positions of everything, in SVG pixels.
struct Layout {
  Axis x, y;
  double width = 0, height = 0, left = 0, top = 0, legend_x = 0;
  double px(double v) const { return x.at(v, left, kPlotWidth); }
  double py(double v) const { return y.at(v, top + kPlotHeight, -kPlotHeight); }
};

Layout layout(const LinePlot& plot) {
  double x_lo = kInf, x_hi = -kInf, y_lo = kInf, y_hi = -kInf;
  for (const Series& s : plot.series) each_point(s, [&](double x, double) { x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x); });
  if (x_lo == kInf) throw Error(fmt::format("plot '{}': no series has a point to draw", plot.title));
  Layout l;
  l.x = fit_axis(plot.x.lo, plot.x.hi, x_lo, x_hi, 0);
  for (const Series& s : plot.series)
    each_point(s, [&](double x, double y) {
      if (x >= l.x.lo && x <= l.x.hi) y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    });
  l.y = fit_axis(plot.y.lo, plot.y.hi, y_lo, y_hi, 0.03);

  Surface scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), cairo_surface_destroy);
  Context cr(cairo_create(scratch.get()), cairo_destroy);
  set_font(cr.get(), kFont);
  double tick_width = 0, legend_width = 0;
  for (double t : l.y.ticks()) tick_width = std::max(tick_width, text_width(cr.get(), l.y.label(t)));
  for (const Series& s : plot.series) legend_width = std::max(legend_width, text_width(cr.get(), s.name));
  l.left = kPad + kFont + 10 + tick_width + 6;
  l.top = kPad + (plot.title.empty() ? 0 : kTitleFont + 12);
  l.legend_x = l.left + kPlotWidth + 18;
  l.width = l.legend_x + (plot.series.empty() ? 0 : 34 + legend_width) + kPad;
  l.height = std::max(l.top + kPlotHeight + kFont * 2 + 22 + kPad, l.top + kRow * double(plot.series.size()) + kPad);
  return l;
}

void draw_axes(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  const double right = l.left + kPlotWidth, bottom = l.top + kPlotHeight;
  set_font(cr, kFont);
  cairo_set_line_width(cr, 1);
  // A grid line from (x0, y0) to (x1, y1) on whole pixels, and its tick label.
  auto grid = [cr](double x0, double y0, double x1, double y1) {
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, x0, y0), cairo_line_to(cr, x1, y1), cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  };
  for (double t : l.x.ticks()) {
    grid(std::round(l.px(t)) + 0.5, l.top, std::round(l.px(t)) + 0.5, bottom);
    show_text(cr, l.x.label(t), l.px(t), bottom + 6, 0.5, 0);
  }
  for (double t : l.y.ticks()) {
    grid(l.left, std::round(l.py(t)) + 0.5, right, std::round(l.py(t)) + 0.5);
    show_text(cr, l.y.label(t), l.left - 6, l.py(t), 1, 0.5);
  }
  cairo_rectangle(cr, l.left + 0.5, l.top + 0.5, kPlotWidth, kPlotHeight);
  cairo_stroke(cr);
  show_text(cr, plot.x_label, l.left + kPlotWidth / 2, bottom + kFont + 16, 0.5, 0);
  cairo_save(cr);
  cairo_translate(cr, kPad, l.top + kPlotHeight / 2);
  cairo_rotate(cr, -M_PI / 2);
  show_text(cr, plot.y_label, 0, 0, 0.5, 0);
  cairo_restore(cr);
  set_font(cr, kTitleFont, true);
  show_text(cr, plot.title, l.left + kPlotWidth / 2, kPad, 0.5, 0);
}

// Series k: a line through `line`, a marker at each of `marks`, or bars from `base` up to each of `marks`
// `bar` pixels wide (pixel coordinates).
void draw_series(cairo_t* cr, const Series& s, size_t k, const std::vector<std::pair<double, double>>& line,
                 const std::vector<std::pair<double, double>>& marks, double base, double bar) {
  static const double dash[] = {7, 4};
  const Rgb color = series_color(k);
  set_rgb(cr, color);
  if (s.bars) {
    for (const auto& [x, y] : marks) cairo_rectangle(cr, x - bar / 2, y, bar, base - y);
    cairo_fill(cr);
    return;
  }
  cairo_set_line_width(cr, 2);
  cairo_set_dash(cr, s.dashed ? dash : nullptr, s.dashed ? 2 : 0, 0);
  for (size_t i = 0; i < line.size() && s.line; ++i) (i == 0 ? cairo_move_to : cairo_line_to)(cr, line[i].first, line[i].second);
  cairo_stroke(cr);
  for (const auto& [x, y] : marks)
    if (s.markers) draw_marker(cr, series_marker(k), color, s.dashed, x, y);
}

void draw(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  draw_axes(cr, plot, l);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  set_font(cr, kFont);
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    std::vector<std::pair<double, double>> points;
    double gap = kInf, last = -kInf;
    each_point(s, [&](double x, double y) {
      points.emplace_back(l.px(x), l.py(y));
      gap = std::min(gap, points.back().first - last), last = points.back().first;
    });
    const std::vector<std::pair<double, double>> none;
    for (double margin : {0, 5}) {  // lines and bars end at the frame, markers on it stay whole
      cairo_save(cr);
      cairo_rectangle(cr, l.left - margin, l.top - margin, kPlotWidth + 2 * margin, kPlotHeight + 2 * margin);
      cairo_clip(cr);
      draw_series(cr, s, k, margin == 0 ? points : none, (margin == 0) == s.bars ? points : none, l.top + kPlotHeight,
                  std::min(gap, kPlotWidth / 8) * 0.8);
      cairo_restore(cr);
    }
    const double y = l.top + kRow * (double(k) + 0.5);
    draw_series(cr, s, k, {{l.legend_x, y}, {l.legend_x + 26, y}}, {{l.legend_x + 13, y - (s.bars ? 6 : 0)}}, y + 6, 12);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    show_text(cr, s.name, l.legend_x + 34, y, 0, 0.5);
  }
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t status, const LinePlot& plot) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(fmt::format("plot '{}': cairo failed: {}", plot.title, cairo_status_to_string(status)));
}

// The plot drawn at `scale` on the surface make(width, height) returns (sizes in SVG pixels).
Surface render(const LinePlot& plot, const std::function<cairo_surface_t*(double, double)>& make, double scale) {
  const Layout l = layout(plot);
  Surface surface(make(l.width, l.height), cairo_surface_destroy);
  Context cr(cairo_create(surface.get()), cairo_destroy);
  cairo_scale(cr.get(), scale, scale);
  draw(cr.get(), plot, l);
  check(cairo_status(cr.get()), plot);
  return surface;
}

}  // namespace

std::string render_svg(const LinePlot& plot) {
  std::string out;
  Surface surface = render(plot, [&](double w, double h) {
    cairo_surface_t* s = cairo_svg_surface_create_for_stream(append, &out, w, h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    return s;
  }, 1);
  cairo_surface_finish(surface.get());
  check(cairo_surface_status(surface.get()), plot);
  // cairo numbers its surfaces across the process: the one id that changes between runs gets a fixed name.
  const size_t id = out.find("<g id=\"surface");
  if (id != std::string::npos) out.replace(id, out.find('"', id + 7) + 1 - id, "<g id=\"plot\"");
  return out;
}

Bytes render_png(const LinePlot& plot) {
  Surface surface = render(plot, [](double w, double h) {
    return cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(std::ceil(w * kPngScale)), int(std::ceil(h * kPngScale)));
  }, kPngScale);
  std::string out;
  check(cairo_surface_write_to_png_stream(surface.get(), append, &out), plot);
  return Bytes(out.begin(), out.end());
}

std::vector<std::string> write_plot(const LinePlot& plot, const std::string& stem, bool overwrite) {
  const std::vector<std::string> files = {stem + ".svg", stem + ".png"};
  write_file_atomic(files[0], render_svg(plot), overwrite);
  write_file_atomic(files[1], render_png(plot), overwrite);
  return files;
}

}  // namespace tiny::plot
