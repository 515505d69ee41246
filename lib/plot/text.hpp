#pragma once
// Text on pictures that are not plots (captions under thumbnails), drawn with the plots' anti-aliased font.
#include "plot/style.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::plot {

struct TextLine {
  std::string text;
  Rgb color;
};

// Lines of text starting at (x, y) (the top left of the first line), one every `line_height` pixels,
// each shortened from the front ("..end of a long name") to fit `max_width`.
struct TextBlock {
  double x = 0, y = 0, max_width = 0;
  std::vector<TextLine> lines;
};

// Draws the blocks at `size` pixels onto 8-bit RGB pixels (`width` x `height`, rows of 3 * width bytes).
void draw_text(uint8_t* rgb, int width, int height, const std::vector<TextBlock>& blocks, double size, double line_height);

}  // namespace tiny::plot
