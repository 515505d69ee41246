#include "plot/style.hpp"

#include <cmath>
#include <iterator>

namespace tiny::plot {

Rgb series_color(size_t k) {
  static const unsigned kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                      0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  constexpr size_t n = std::size(kPalette);
  if (k < n) return {(kPalette[k] >> 16) / 255.0, ((kPalette[k] >> 8) & 0xff) / 255.0, (kPalette[k] & 0xff) / 255.0};
  // A cosine colour wheel at hues stepped by the golden ratio (no two indices share a hue), darker than
  // the palette and starting at the hues it leaves out (ochre, teal, plum, lime).
  const double hue = 2 * M_PI * std::fmod(double(k - n) * 0.6180339887498949 + 0.9, 1.0);
  auto channel = [hue](double phase) { return 0.4 + 0.3 * std::cos(hue + phase); };
  return {channel(0), channel(2 * M_PI / 3), channel(4 * M_PI / 3)};
}

int series_marker(size_t k) { return int((k + k / 10) % kMarkerCount); }  // k and k + 10 differ

void draw_marker(cairo_t* cr, int m, const Rgb& color, bool hollow, double x, double y) {
  // Corners (0: a circle), the first corner's angle in degrees, the radius, and spokes from the centre
  // instead of an outline.
  struct Shape {
    int corners;
    double angle, radius;
    bool spokes;
  };
  static const Shape kShapes[kMarkerCount] = {{0, 0, 4, false},   {4, 45, 4.8, false}, {3, -90, 4.6, false}, {4, 0, 4.8, false},
                                              {3, 90, 4.6, false}, {4, 0, 4.5, true},   {4, 45, 5.5, true}};
  const Shape& s = kShapes[m % kMarkerCount];
  cairo_new_path(cr);
  if (s.corners == 0) cairo_arc(cr, x, y, s.radius, 0, 2 * M_PI);
  for (int i = 0; i < s.corners; ++i) {
    const double a = (s.angle + 360.0 * i / s.corners) * M_PI / 180;
    if (s.spokes) cairo_move_to(cr, x, y);
    (s.spokes || i > 0 ? cairo_line_to : cairo_move_to)(cr, x + s.radius * std::cos(a), y + s.radius * std::sin(a));
  }
  cairo_set_line_width(cr, 1.5);
  cairo_set_dash(cr, nullptr, 0, 0);
  if (!s.spokes) {
    cairo_close_path(cr);
    set_rgb(cr, hollow ? Rgb{1, 1, 1} : color);
    cairo_fill_preserve(cr);
  }
  set_rgb(cr, color);
  cairo_stroke(cr);
}

void set_rgb(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void set_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

void show_text(cairo_t* cr, const std::string& text, double x, double y, double align_x, double align_y) {
  cairo_font_extents_t f;
  cairo_font_extents(cr, &f);
  cairo_move_to(cr, x - align_x * text_width(cr, text), y + f.ascent - align_y * (f.ascent + f.descent));
  cairo_show_text(cr, text.c_str());
}

}  // namespace tiny::plot
