#pragma once
// Line plots and bar charts drawn once with cairo and written as SVG or PNG (the same drawing,
// anti-aliased text): a title, axes with round ticks, a legend beside the plot area, a distinct colour
// and marker per series for any number of series, dashed series (published curves, thresholds).
#include "core/file_io.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace tiny::plot {

struct Series {
  std::string name;
  std::vector<double> x, y;  // points with a non-finite coordinate are skipped
  bool markers = true;       // a marker at every point
  bool dashed = false;       // a dashed line with hollow markers
  bool line = true;          // a line through the points (false: markers only)
  bool bars = false;         // a bar from the bottom of the plot up to each point instead of line and markers
};

// An axis range; a NaN end is fitted to the data.
struct Range {
  double lo = NAN, hi = NAN;
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  Range x, y;  // y is fitted to the points inside the x range
};

// SVG text of the plot; throws tiny::Error if no series has a finite point.
std::string render_svg(const LinePlot& plot);
// PNG bytes of the same drawing at twice the SVG's pixel size; same error as render_svg.
Bytes render_png(const LinePlot& plot);
// Writes render_svg and render_png as `stem`.svg and `stem`.png (each atomically; an existing file is an
// error unless `overwrite`); returns the two files.
std::vector<std::string> write_plot(const LinePlot& plot, const std::string& stem, bool overwrite);

}  // namespace tiny::plot
