#include "plot/text.hpp"

namespace tiny::plot {

void draw_text(uint8_t* rgb, int width, int height, const std::vector<TextBlock>& blocks, double size, double line_height) {
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
  const int stride = cairo_image_surface_get_stride(surface.get());
  // cairo's RGB24 pixel is a native-endian 32-bit 0x00RRGGBB.
  auto pixel = [&](int x, int y) { return reinterpret_cast<uint32_t*>(cairo_image_surface_get_data(surface.get()) + y * stride) + x; };
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const uint8_t* p = rgb + 3 * (size_t(y) * width + x);
      *pixel(x, y) = uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
    }
  cairo_surface_mark_dirty(surface.get());
  {
    Context cr(cairo_create(surface.get()), cairo_destroy);
    set_font(cr.get(), size);
    for (const TextBlock& b : blocks)
      for (size_t i = 0; i < b.lines.size(); ++i) {
        std::string s = b.lines[i].text;
        while (s.size() > 4 && text_width(cr.get(), s) > b.max_width) s = ".." + s.substr(3);
        set_rgb(cr.get(), b.lines[i].color);
        show_text(cr.get(), s, b.x, b.y + double(i) * line_height, 0, 0);
      }
  }
  cairo_surface_flush(surface.get());
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = rgb + 3 * (size_t(y) * width + x);
      const uint32_t v = *pixel(x, y);
      p[0] = uint8_t(v >> 16), p[1] = uint8_t(v >> 8), p[2] = uint8_t(v);
    }
}

}  // namespace tiny::plot
