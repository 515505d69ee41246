#pragma once
// Line plots and bar charts written as SVG text and drawn from that same SVG to PNG by librsvg: a title, axes
// with round ticks, a legend that sizes the picture, a colour and marker per series for any count, dashed
// series; and anti-aliased text drawn the same way onto RGB pictures (contact-sheet captions).
#include "core/file_io.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace tiny::plot {

struct Series {
  std::string name;
  std::vector<double> x, y;  // points with a non-finite coordinate are skipped
  // A marker at every point; a dashed line, hollow markers; a line through the points; instead of line and markers, a
  // bar from the bottom of the plot up to each point.
  bool markers = true, dashed = false, line = true, bars = false;
};

struct Range {  // an axis range; a NaN end is fitted to the data and rounded out to a tick
  double lo = NAN, hi = NAN;
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  Range x, y;  // y is fitted to the points inside the x range
};

// Lines of text from (x, y), the top left of the first line, each in its colour (0xRRGGBB) and shortened
// from the front ("..end of a long name") to fit max_width.
struct TextBlock {
  double x = 0, y = 0, max_width = 0;
  std::vector<std::pair<std::string, uint32_t>> lines;
};

// SVG text of the plot, the same bytes on every run; throws tiny::Error if no series has a finite point.
std::string render_svg(const LinePlot& plot);
// PNG of that SVG at twice its size, drawn by librsvg (loaded on first use); errors as render_svg.
Bytes render_png(const LinePlot& plot);
// Writes `stem`.svg and `stem`.png (atomically; an existing file is an error unless `overwrite`).
std::vector<std::string> write_plot(const LinePlot& plot, const std::string& stem, bool overwrite);
// Draws the blocks at `size` pixels, a line every `line_height`, onto RGB pixels (rows of 3 * width bytes).
void draw_text(uint8_t* rgb, int width, int height, const std::vector<TextBlock>& blocks, double size, double line_height);

}  // namespace tiny::plot
