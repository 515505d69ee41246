#include "plot/style.hpp"

#include <cmath>
#include <iterator>

namespace tiny::plot {

Rgb series_color(size_t k) {
  static const unsigned kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                      0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  constexpr size_t n = std::size(kPalette);
  if (k < n) {
    const unsigned v = kPalette[k];
    return {((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
  }
  // HSV with the hue stepped by the golden ratio: no two indices share a hue.
  const double h = std::fmod(double(k - n) * 0.6180339887498949 + 0.05, 1.0) * 6, s = 0.7, v = 0.75;
  const double c = v * s, x = c * (1 - std::fabs(std::fmod(h, 2) - 1)), m = v - c;
  const int sector = static_cast<int>(h) % 6;
  const double rgb[6][3] = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
  return {rgb[sector][0] + m, rgb[sector][1] + m, rgb[sector][2] + m};
}

Marker series_marker(size_t k) { return static_cast<Marker>(k % kMarkerCount); }

}  // namespace tiny::plot
