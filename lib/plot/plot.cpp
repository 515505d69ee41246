#include "plot/plot.hpp"

#include "core/error.hpp"
#include "core/shared_module.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <memory>
#include <tuple>

namespace tiny::plot {
namespace {

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Points = std::vector<std::pair<double, double>>;
constexpr double kWidth = 620, kHeight = 420, kPad = 14, kFont = 13, kRow = 20, kAscent = 0.93, kMiddle = 0.35;  // DejaVu Sans
// Markers around (0, 0): circle, square, triangle up, diamond, triangle down, plus, cross.
constexpr const char* kMarkers[] = {"M-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0z", "M-3.4-3.4h6.8v6.8h-6.8z", "M0-4.6L4 2.3H-4z",
                                    "M4.8 0L0 4.8-4.8 0 0-4.8z", "M0 4.6L-4-2.3H4z", "M-4.5 0H4.5M0-4.5V4.5", "M-3.9-3.9L3.9 3.9M-3.9 3.9L3.9-3.9"};

struct Axis {
  double lo, hi, step, from = 0, length = 1;  // drawn from pixel `from` over `length` (negative: upwards)
  double at(double v) const { return from + (v - lo) / (hi - lo) * length; }
};

// An axis over [lo, hi] (not finite: 0..1) keeping the `given` ends; a fitted end is widened by `pad` times the span
// and rounded out to a tick. The step, 1, 2 or 5 times a power of ten (or 0.25, 0.025, …), gives nearest six ticks.
Axis fit_axis(Range given, double lo, double hi, double pad) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  lo = std::isnan(given.lo) ? lo : given.lo, hi = std::isnan(given.hi) ? hi : given.hi;
  const double half = hi > lo ? 0 : std::max(std::fabs(lo) * 0.1, 1e-9), span = hi - lo + 2 * half;
  lo -= half + std::isnan(given.lo) * pad * span, hi += half + std::isnan(given.hi) * pad * span;
  const double power = std::pow(10, std::floor(std::log10((hi - lo) / 6)));
  double step = power;
  for (double m : {2.0, 2.5, 5.0, 10.0})
    if ((m != 2.5 || power < 1) && std::fabs((hi - lo) / (m * power) - 6) < std::fabs((hi - lo) / step - 6)) step = m * power;
  return {std::isnan(given.lo) ? std::floor(lo / step + 1e-9) * step : lo, std::isnan(given.hi) ? std::ceil(hi / step - 1e-9) * step : hi, step};
}

// The multiples of the step on `a` and their labels, never "-0"; below 0.001 every label has one exponent ("10e-05").
std::vector<std::pair<double, std::string>> ticks(const Axis& a) {
  std::vector<std::pair<double, std::string>> out;
  const int e = int(std::floor(std::log10(a.step) + 1e-9));
  for (long i = std::lround(std::ceil(a.lo / a.step - 1e-9)); i <= std::lround(std::floor(a.hi / a.step + 1e-9)); ++i) {
    const double t = double(i) * a.step;
    out.emplace_back(t, a.step >= 1e-3 || i == 0 ? fmt::format("{:.15g}", t) : fmt::format("{:.15g}e{:+03d}", t / std::pow(10, e), e));
  }
  return out;
}

// Colour of series k, 0xRRGGBB: ten well-separated colours, then a darker cosine wheel at hues stepped by the golden
// ratio from the hues those leave out (ochre, teal, plum, lime); its marker differs from series k - 10's.
uint32_t series_color(size_t k) {
  static const uint32_t kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  const double turn = double(k - 10) * 0.6180339887498949 + 0.9;
  auto c = [turn](double third) { return uint32_t(std::lround(255 * (0.4 + 0.3 * std::cos(2 * M_PI * (turn + third / 3))))); };
  return k < 10 ? kPalette[k] : c(0) << 16 | c(1) << 8 | c(2);
}

// <text> with its baseline at (x, y), anchored at its "start", "middle" or "end": valid XML from any bytes.
std::string text(std::string s, double x, double y, const char* anchor, const std::string& attributes = "") {
  for (char& c : s) c = uint8_t(c) < 0x20 ? ' ' : c;
  return fmt::format("<text x=\"{:g}\" y=\"{:g}\" text-anchor=\"{}\"{}>{}</text>\n", x, y, anchor, attributes, html_escape(replace_invalid_utf8(s)));
}

std::string svg_start(double width, double height, double font) {
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{0:g}\" "
                     "height=\"{1:g}\" viewBox=\"0 0 {0:g} {1:g}\" font-family=\"DejaVu Sans\" font-size=\"{2:g}\" fill=\"#1a1a1a\" "
                     "stroke-linejoin=\"round\">\n", width, height, font);
}

// How far `s` advances in DejaVu Sans at `size` pixels, as cairo measures the font librsvg draws.
double text_width(const std::string& s, double size) {
  static thread_local const std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(
      cairo_create(Surface(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1), cairo_surface_destroy).get()), cairo_destroy);
  cairo_select_font_face(cr.get(), "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr.get(), size);
  cairo_text_extents_t e;
  cairo_text_extents(cr.get(), s.c_str(), &e);
  return e.x_advance;
}

// A function of librsvg (2.46 or later), whose type `F` is its declaration's: loaded on first use, so that
// libtiny does not link librsvg and the glib and pango it brings.
template <class F>
F* rsvg_function(const char* name) {
  return reinterpret_cast<F*>(load_symbol("librsvg-2.so.2", name, "librsvg 2.46 or later, to draw PNG pictures"));
}

// Draws SVG text over `surface`, scaled to fill it, with librsvg.
void rasterise(const std::string& svg, cairo_surface_t* surface, const std::string& what) {
  static const auto load = rsvg_function<decltype(rsvg_handle_new_from_data)>("rsvg_handle_new_from_data");
  static const auto render = rsvg_function<decltype(rsvg_handle_render_document)>("rsvg_handle_render_document");
  static const auto unref = rsvg_function<decltype(g_object_unref)>("g_object_unref");
  RsvgHandle* handle = load(reinterpret_cast<const guint8*>(svg.data()), svg.size(), nullptr);
  cairo_t* cr = cairo_create(surface);
  const RsvgRectangle box{0, 0, double(cairo_image_surface_get_width(surface)), double(cairo_image_surface_get_height(surface))};
  const bool drawn = handle && render(handle, cr, &box, nullptr);
  cairo_destroy(cr);
  if (handle) unref(handle);
  if (!drawn) throw Error(what + ": librsvg cannot draw the SVG");
}

// <rect> at (x, y), w by h, with `more` attributes.
std::string rect(double x, double y, double w, double h, const std::string& more) {
  return fmt::format("<rect x=\"{:g}\" y=\"{:g}\" width=\"{:g}\" height=\"{:g}\" {}/>", x, y, w, h, more);
}

// The plot as SVG text, its width and its height.
std::tuple<std::string, double, double> draw(const LinePlot& plot) {
  std::vector<Points> points(plot.series.size());  // the finite points of each series
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY, tick_w = 0, legend_w = 0;
  for (size_t k = 0; k < points.size(); ++k)
    for (size_t i = 0; i < std::min(plot.series[k].x.size(), plot.series[k].y.size()); ++i)
      if (const double x = plot.series[k].x[i], y = plot.series[k].y[i]; std::isfinite(x) && std::isfinite(y))
        points[k].emplace_back(x, y), x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x);
  if (x_lo == INFINITY) throw Error(fmt::format("plot '{}': no series has a point to draw", plot.title));
  Axis ax = fit_axis(plot.x, x_lo, x_hi, 0);
  for (const Points& p : points)
    for (auto [x, y] : p)
      if (x >= ax.lo && x <= ax.hi) y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
  Axis ay = fit_axis(plot.y, y_lo, y_hi, 0.03);
  for (const auto& [t, label] : ticks(ay)) tick_w = std::max(tick_w, text_width(label, kFont));
  for (const Series& s : plot.series) legend_w = std::max(legend_w, text_width(s.name, kFont));
  const double left = kPad + kFont + 16 + tick_w, top = kPad + (plot.title.empty() ? 0 : 27), right = left + kWidth, bottom = top + kHeight;
  const double width = std::ceil(right + 18 + (plot.series.empty() ? 0 : 34 + legend_w) + kPad);
  const double height = std::ceil(std::max(bottom + 2 * kFont + 22, top + kRow * double(plot.series.size())) + kPad);
  ax.from = left, ax.length = kWidth, ay.from = bottom, ay.length = -kHeight;
  std::string svg = svg_start(width, height, kFont) + rect(0, 0, width, height, "fill=\"white\"") + "\n<defs>", grid;
  for (double m : {0, 5})  // lines and bars end at the frame, markers on it stay whole
    svg += fmt::format("<clipPath id=\"clip{}\">{}</clipPath>", m, rect(left - m, top - m, kWidth + 2 * m, kHeight + 2 * m, ""));
  for (size_t m = 0; m < std::size(kMarkers); ++m) svg += fmt::format("<path id=\"m{}\" d=\"{}\"/>", m, kMarkers[m]);
  svg += "</defs>\n";
  for (const auto& [t, label] : ticks(ax))
    grid += fmt::format("M{:g} {:g}V{:g}", std::round(ax.at(t)) + 0.5, top, bottom), svg += text(label, ax.at(t), bottom + 18, "middle");
  for (const auto& [t, label] : ticks(ay))
    grid += fmt::format("M{:g} {:g}H{:g}", left, std::round(ay.at(t)) + 0.5, right), svg += text(label, left - 6, ay.at(t) + 4.5, "end");
  const double label_x = kPad + kAscent * kFont, label_y = top + kHeight / 2;
  svg += "<path d=\"" + grid + "\" stroke=\"#e0e0e0\"/>" + rect(left + 0.5, top + 0.5, kWidth, kHeight, "fill=\"none\" stroke=\"#1a1a1a\"") + "\n" +
         text(plot.x_label, left + kWidth / 2, bottom + 22 + (1 + kAscent) * kFont, "middle") +
         text(plot.y_label, label_x, label_y, "middle", fmt::format(" transform=\"rotate(-90 {:g} {:g})\"", label_x, label_y)) +
         text(plot.title, left + kWidth / 2, kPad + 15 * kAscent, "middle", " font-size=\"15\" font-weight=\"bold\"");
  for (size_t k = 0; k < points.size(); ++k) {
    const Series& s = plot.series[k];
    const std::string color = fmt::format("#{:06x}", series_color(k));
    const std::string line_end = "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"7 4\"/>" : "/>");
    auto mark = [&](double x, double y, double w, double base) {  // a bar w wide from `base` up to (x, y), or a marker at it
      return s.bars ? rect(x - w / 2, y, w, std::max(0.0, base - y), "fill=\"" + color + "\"")
                    : fmt::format("<use xlink:href=\"#m{}\" x=\"{:g}\" y=\"{:g}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                                  (k + k / 10) % std::size(kMarkers), x, y, s.dashed ? "white" : color, color);
    };
    double gap = kWidth / 8;
    for (size_t i = 1; i < points[k].size(); ++i) gap = std::min(gap, ax.at(points[k][i].first) - ax.at(points[k][i - 1].first));
    std::string path, marks;
    for (auto [x, y] : points[k])
      path += fmt::format("{}{:g} {:g}", path.empty() ? "M" : "L", ax.at(x), ay.at(y)), marks += mark(ax.at(x), ay.at(y), 0.8 * gap, bottom);
    svg += "<g clip-path=\"url(#clip0)\">" + (s.bars ? marks : s.line ? "<path d=\"" + path + line_end : "") + "</g>";
    svg += "<g clip-path=\"url(#clip5)\">" + (s.markers && !s.bars ? marks : "") + "</g>\n";
    const double x = right + 18, y = top + kRow * (double(k) + 0.5);  // the legend row
    if (s.line && !s.bars) svg += fmt::format("<path d=\"M{:g} {:g}H{:g}", x, y, x + 26) + line_end;
    if (s.markers || s.bars) svg += mark(x + 13, y - (s.bars ? 6 : 0), 12, y + 6);
    svg += text(s.name, x + 34, y + kMiddle * kFont, "start");
  }
  return {svg + "</svg>\n", width, height};
}

}  // namespace

std::string render_svg(const LinePlot& plot) { return std::get<0>(draw(plot)); }

Bytes render_png(const LinePlot& plot) {
  const auto [svg, width, height] = draw(plot);
  const std::string what = "plot '" + plot.title + "'";
  const Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(2 * width), int(2 * height)), cairo_surface_destroy);
  rasterise(svg, surface.get(), what);
  std::string out;
  auto append = [](void* out, const unsigned char* data, unsigned length) {
    return static_cast<std::string*>(out)->append(reinterpret_cast<const char*>(data), length), CAIRO_STATUS_SUCCESS;
  };
  if (cairo_surface_write_to_png_stream(surface.get(), append, &out) != CAIRO_STATUS_SUCCESS) throw Error(what + ": cannot write the PNG");
  return Bytes(out.begin(), out.end());
}

std::vector<std::string> write_plot(const LinePlot& plot, const std::string& stem, bool overwrite) {
  write_file_atomic(stem + ".svg", render_svg(plot), overwrite);
  write_file_atomic(stem + ".png", render_png(plot), overwrite);
  return {stem + ".svg", stem + ".png"};
}

void draw_text(uint8_t* rgb, int width, int height, const std::vector<TextBlock>& blocks, double size, double line_height) {
  std::string svg = svg_start(width, height, size);
  for (const TextBlock& b : blocks)
    for (size_t i = 0; i < b.lines.size(); ++i) {
      std::string s = b.lines[i].first;
      while (s.size() > 4 && text_width(s, size) > b.max_width)  // drops whole UTF-8 characters
        for (s = ".." + s.substr(3); s.size() > 2 && (uint8_t(s[2]) & 0xc0) == 0x80;) s.erase(2, 1);
      svg += text(s, b.x, b.y + double(i) * line_height + kAscent * size, "start", fmt::format(" fill=\"#{:06x}\"", b.lines[i].second));
    }
  std::vector<uint32_t> pixels(size_t(width) * size_t(height));  // cairo's RGB24: native-endian 0x00RRGGBB
  for (size_t i = 0; i < 3 * pixels.size(); ++i) pixels[i / 3] |= uint32_t(rgb[i]) << (16 - 8 * (i % 3));
  rasterise(svg + "</svg>\n", Surface(cairo_image_surface_create_for_data(reinterpret_cast<unsigned char*>(pixels.data()), CAIRO_FORMAT_RGB24, width,
                                                                            height, 4 * width), cairo_surface_destroy).get(), "captions");
  for (size_t i = 0; i < 3 * pixels.size(); ++i) rgb[i] = uint8_t(pixels[i / 3] >> (16 - 8 * (i % 3)));
}

}  // namespace tiny::plot
