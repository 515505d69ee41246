#pragma once
// The look of a series in a plot: its colour and marker shape, distinct for every index.
#include <cstddef>

namespace tiny::plot {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
};

enum class Marker { circle, square, triangle_up, diamond, triangle_down, plus, cross };
constexpr int kMarkerCount = 7;

// Colour of series k: ten well-separated colours, then hues spaced by the golden angle (never repeating).
Rgb series_color(size_t k);
// Marker of series k (cycling through kMarkerCount shapes; colour and marker together never repeat).
Marker series_marker(size_t k);
}  // namespace tiny::plot
