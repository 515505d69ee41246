#include "plot/plot.hpp"

#include "core/error.hpp"
#include "plot/axis.hpp"
#include "plot/style.hpp"

#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace tiny::plot {
namespace {

constexpr double kPlotWidth = 620, kPlotHeight = 420, kPad = 14, kFont = 13, kTitleFont = 15, kRow = 20;
constexpr double kPngScale = 2;
const char* const kFace = "DejaVu Sans";

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

bool finite(const Series& s, size_t i) { return i < s.x.size() && std::isfinite(s.x[i]) && std::isfinite(s.y[i]); }

struct Extent {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) { lo = std::min(lo, v), hi = std::max(hi, v); }
};

// Positions of everything, in SVG pixels.
struct Layout {
  Axis x, y;
  double width = 0, height = 0, left = 0, top = 0, legend_x = 0;
  double px(double v) const { return x.at(v, left, kPlotWidth); }
  double py(double v) const { return y.at(v, top + kPlotHeight, -kPlotHeight); }
};

void set_font(cairo_t* cr, double size, bool bold = false) {
  cairo_select_font_face(cr, kFace, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

Layout layout(const LinePlot& plot) {
  Extent xs, ys;
  for (const Series& s : plot.series)
    for (size_t i = 0; i < s.y.size(); ++i)
      if (finite(s, i)) xs.add(s.x[i]);
  if (!std::isfinite(xs.lo)) throw Error(fmt::format("plot '{}': no series has a point to draw", plot.title));
  Layout l;
  l.x = fit_axis(plot.x.lo, plot.x.hi, xs.lo, xs.hi, 0);
  for (const Series& s : plot.series)
    for (size_t i = 0; i < s.y.size(); ++i)
      if (finite(s, i) && s.x[i] >= l.x.lo && s.x[i] <= l.x.hi) ys.add(s.y[i]);
  l.y = fit_axis(plot.y.lo, plot.y.hi, ys.lo, ys.hi, 0.03);

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

void show_text(cairo_t* cr, const std::string& text, double x, double y, double align_x, double align_y) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_font_extents_t f;
  cairo_font_extents(cr, &f);
  cairo_move_to(cr, x - align_x * e.x_advance, y + f.ascent - align_y * (f.ascent + f.descent));
  cairo_show_text(cr, text.c_str());
}

void set_rgb(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void marker_path(cairo_t* cr, Marker m, double x, double y) {
  constexpr double r = 4;
  switch (m) {
    case Marker::circle: cairo_new_sub_path(cr), cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case Marker::square: cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
    case Marker::triangle_up:
    case Marker::triangle_down: {
      const double d = m == Marker::triangle_up ? 1 : -1;
      cairo_move_to(cr, x, y - d * r * 1.15);
      cairo_line_to(cr, x + r, y + d * r * 0.75);
      cairo_line_to(cr, x - r, y + d * r * 0.75);
      cairo_close_path(cr);
      break;
    }
    case Marker::diamond:
      cairo_move_to(cr, x, y - r * 1.2), cairo_line_to(cr, x + r, y), cairo_line_to(cr, x, y + r * 1.2), cairo_line_to(cr, x - r, y);
      cairo_close_path(cr);
      break;
    case Marker::plus: cairo_move_to(cr, x - r, y), cairo_line_to(cr, x + r, y), cairo_move_to(cr, x, y - r), cairo_line_to(cr, x, y + r); break;
    case Marker::cross:
      cairo_move_to(cr, x - r, y - r), cairo_line_to(cr, x + r, y + r), cairo_move_to(cr, x + r, y - r), cairo_line_to(cr, x - r, y + r);
      break;
  }
}

// A marker: filled, or hollow (white inside) for dashed series; plus and cross are strokes only.
void draw_marker(cairo_t* cr, Marker m, const Rgb& color, bool hollow, double x, double y) {
  marker_path(cr, m, x, y);
  cairo_set_line_width(cr, 1.5);
  cairo_set_dash(cr, nullptr, 0, 0);
  if (m != Marker::plus && m != Marker::cross) {
    if (hollow) cairo_set_source_rgb(cr, 1, 1, 1);
    else set_rgb(cr, color);
    cairo_fill_preserve(cr);
  }
  set_rgb(cr, color);
  cairo_stroke(cr);
}

void set_line(cairo_t* cr, const Series& s, const Rgb& color) {
  static const double dash[] = {7, 4};
  set_rgb(cr, color);
  cairo_set_line_width(cr, 2);
  cairo_set_dash(cr, s.dashed ? dash : nullptr, s.dashed ? 2 : 0, 0);
}

void draw_axes(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  const double right = l.left + kPlotWidth, bottom = l.top + kPlotHeight;
  set_font(cr, kFont);
  cairo_set_line_width(cr, 1);
  for (double t : l.x.ticks()) {
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, std::round(l.px(t)) + 0.5, l.top), cairo_line_to(cr, std::round(l.px(t)) + 0.5, bottom), cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    show_text(cr, l.x.label(t), l.px(t), bottom + 6, 0.5, 0);
  }
  for (double t : l.y.ticks()) {
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, l.left, std::round(l.py(t)) + 0.5), cairo_line_to(cr, right, std::round(l.py(t)) + 0.5), cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    show_text(cr, l.y.label(t), l.left - 6, l.py(t), 1, 0.5);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_rectangle(cr, l.left + 0.5, l.top + 0.5, kPlotWidth, kPlotHeight);
  cairo_stroke(cr);
  show_text(cr, plot.x_label, l.left + kPlotWidth / 2, bottom + kFont + 16, 0.5, 0);
  cairo_save(cr);
  cairo_translate(cr, kPad, l.top + kPlotHeight / 2);
  cairo_rotate(cr, -M_PI / 2);
  show_text(cr, plot.y_label, 0, 0, 0.5, 0);
  cairo_restore(cr);
  if (!plot.title.empty()) {
    set_font(cr, kTitleFont, true);
    show_text(cr, plot.title, l.left + kPlotWidth / 2, kPad, 0.5, 0);
  }
}

void draw_series(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  cairo_save(cr);
  cairo_rectangle(cr, l.left - 5, l.top - 5, kPlotWidth + 10, kPlotHeight + 10);  // markers on the frame stay whole
  cairo_clip(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    const Rgb color = series_color(k);
    set_line(cr, s, color);
    bool first = true;
    for (size_t i = 0; i < s.y.size() && s.line; ++i)
      if (finite(s, i)) {
        (first ? cairo_move_to : cairo_line_to)(cr, l.px(s.x[i]), l.py(s.y[i]));
        first = false;
      }
    cairo_stroke(cr);
    if (s.markers)
      for (size_t i = 0; i < s.y.size(); ++i)
        if (finite(s, i)) draw_marker(cr, series_marker(k), color, s.dashed, l.px(s.x[i]), l.py(s.y[i]));
  }
  cairo_restore(cr);
}

void draw_legend(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  set_font(cr, kFont);
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    const Rgb color = series_color(k);
    const double y = l.top + kRow * (double(k) + 0.5);
    set_line(cr, s, color);
    if (s.line) cairo_move_to(cr, l.legend_x, y), cairo_line_to(cr, l.legend_x + 26, y), cairo_stroke(cr);
    if (s.markers) draw_marker(cr, series_marker(k), color, s.dashed, l.legend_x + 13, y);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    show_text(cr, s.name, l.legend_x + 34, y, 0, 0.5);
  }
}

void draw(cairo_t* cr, const LinePlot& plot, const Layout& l) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  draw_axes(cr, plot, l);
  draw_series(cr, plot, l);
  draw_legend(cr, plot, l);
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t status, const LinePlot& plot) {
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(fmt::format("plot '{}': cairo failed: {}", plot.title, cairo_status_to_string(status)));
}

}  // namespace

std::string render_svg(const LinePlot& plot) {
  const Layout l = layout(plot);
  std::string out;
  Surface surface(cairo_svg_surface_create_for_stream(append, &out, l.width, l.height), cairo_surface_destroy);
  cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
  {
    Context cr(cairo_create(surface.get()), cairo_destroy);
    draw(cr.get(), plot, l);
    check(cairo_status(cr.get()), plot);
  }
  cairo_surface_finish(surface.get());
  check(cairo_surface_status(surface.get()), plot);
  // cairo numbers its surfaces across the process: the one id that changes between runs gets a fixed name.
  const size_t id = out.find("<g id=\"surface");
  if (id != std::string::npos) out.replace(id, out.find('"', id + 7) + 1 - id, "<g id=\"plot\"");
  return out;
}

Bytes render_png(const LinePlot& plot) {
  const Layout l = layout(plot);
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(std::ceil(l.width * kPngScale)),
                                             int(std::ceil(l.height * kPngScale))),
                  cairo_surface_destroy);
  {
    Context cr(cairo_create(surface.get()), cairo_destroy);
    cairo_scale(cr.get(), kPngScale, kPngScale);
    draw(cr.get(), plot, l);
    check(cairo_status(cr.get()), plot);
  }
  std::string out;
  check(cairo_surface_write_to_png_stream(surface.get(), append, &out), plot);
  return Bytes(out.begin(), out.end());
}

}  // namespace tiny::plot
