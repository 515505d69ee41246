#include "plot/text.hpp"

namespace tiny::plot {

void draw_text(uint8_t* rgb, int width, int height, const std::vector<TextBlock>& blocks, double size, double line_height) {
  // cairo's RGB24 pixel is a native-endian 32-bit 0x00RRGGBB.
  std::vector<uint32_t> pixels(size_t(width) * size_t(height));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = uint32_t(rgb[3 * i]) << 16 | uint32_t(rgb[3 * i + 1]) << 8 | rgb[3 * i + 2];
  {
    Surface surface(cairo_image_surface_create_for_data(reinterpret_cast<unsigned char*>(pixels.data()), CAIRO_FORMAT_RGB24,
                                                        width, height, 4 * width),
                    cairo_surface_destroy);
    Context cr(cairo_create(surface.get()), cairo_destroy);
    set_font(cr.get(), size);
    for (const TextBlock& b : blocks)
      for (size_t i = 0; i < b.lines.size(); ++i) {
        std::string s = b.lines[i].text;
        while (s.size() > 4 && text_width(cr.get(), s) > b.max_width) s = ".." + s.substr(3);
        set_rgb(cr.get(), b.lines[i].color);
        show_text(cr.get(), s, b.x, b.y + double(i) * line_height, 0, 0);
      }
    cairo_surface_flush(surface.get());
  }
  for (size_t i = 0; i < pixels.size(); ++i)
    rgb[3 * i] = uint8_t(pixels[i] >> 16), rgb[3 * i + 1] = uint8_t(pixels[i] >> 8), rgb[3 * i + 2] = uint8_t(pixels[i]);
}

}  // namespace tiny::plot
