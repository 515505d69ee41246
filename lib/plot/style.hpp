#pragma once
// The look of plots and captions, drawn with cairo: a colour and a marker shape distinct for every series
// index, the font, and text placed by its edges or centre.
#include <cairo.h>

#include <cstddef>
#include <memory>
#include <string>

namespace tiny::plot {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
};

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

constexpr int kMarkerCount = 7;  // circle, square, triangle up, diamond, triangle down, plus, cross

// Colour of series k: ten well-separated colours, then hues spaced by the golden angle (never repeating).
Rgb series_color(size_t k);
// Marker of series k, 0 .. kMarkerCount - 1, different from series k - 10's (colour and marker together
// never repeat).
int series_marker(size_t k);
// Draws marker `m` centred at (x, y) in `color`: filled, or white inside when `hollow`.
void draw_marker(cairo_t* cr, int m, const Rgb& color, bool hollow, double x, double y);

// The source colour of the next strokes and fills.
void set_rgb(cairo_t* cr, const Rgb& c);
// DejaVu Sans at `size` pixels, bold or regular.
void set_font(cairo_t* cr, double size, bool bold = false);
// How far `text` advances in the current font.
double text_width(cairo_t* cr, const std::string& text);
// Draws `text` so that (x, y) is at the fractions align_x of its width and align_y of its height from
// its top left (0, 0: top left; 0.5, 0.5: centre; 1, 0.5: right middle).
void show_text(cairo_t* cr, const std::string& text, double x, double y, double align_x, double align_y);

}  // namespace tiny::plot
