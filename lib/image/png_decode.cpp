#include "image/png_decode.hpp"

#include "core/error.hpp"

#include <png.h>

#include <cstring>
#include <vector>

namespace tiny::image {
namespace {

struct Source {
  const uint8_t* data;
  size_t size, pos;
  std::string message;  // libpng's error, if any
};

void read_bytes(png_structp png, png_bytep out, png_size_t n) {
  auto* s = static_cast<Source*>(png_get_io_ptr(png));
  if (n > s->size - s->pos) png_error(png, "truncated PNG data");
  std::memcpy(out, s->data + s->pos, n);
  s->pos += n;
}

void on_error(png_structp png, png_const_charp message) {
  static_cast<Source*>(png_get_error_ptr(png))->message = message;
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

struct Shape {
  int width = 0, height = 0, channels = 0, depth = 0;
};

// Reads the header and sets the transforms; false (Source::message says why) if libpng failed.
bool read_header(png_structp png, png_infop info, Shape& shape) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  png_set_expand(png);  // palette -> RGB, grey below 8 bits -> 8, tRNS -> alpha
  png_set_gray_to_rgb(png);
  png_set_bgr(png);
  if (png_get_bit_depth(png, info) == 16) png_set_swap(png);  // host (little-endian) order
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  shape.width = int(png_get_image_width(png, info));
  shape.height = int(png_get_image_height(png, info));
  shape.channels = png_get_channels(png, info);
  shape.depth = png_get_bit_depth(png, info);
  return true;
}

// Reads every row into `rows`; false (Source::message says why) if libpng failed.
bool read_rows(png_structp png, png_infop info, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, info);
  return true;
}

}  // namespace

cv::Mat decode_png(const uint8_t* data, size_t size, const std::string& origin) {
  Source source{data, size, 0, ""};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error(file_error(origin, "cannot decode png: out of memory"));
  }
  png_set_read_fn(png, &source, read_bytes);
  Shape shape;
  cv::Mat mat;
  std::vector<png_bytep> rows;
  bool ok = read_header(png, info, shape);
  if (ok && (shape.channels != 3 && shape.channels != 4)) {
    source.message = "unexpected channel count " + std::to_string(shape.channels);
    ok = false;
  }
  if (ok) {
    mat.create(shape.height, shape.width, CV_MAKETYPE(shape.depth == 16 ? CV_16U : CV_8U, shape.channels));
    for (int y = 0; y < shape.height; ++y) rows.push_back(mat.ptr<png_byte>(y));
    ok = read_rows(png, info, rows.data());
  }
  png_destroy_read_struct(&png, &info, nullptr);
  if (!ok) throw Error(file_error(origin, "cannot decode png: " + source.message));
  return mat;
}

}  // namespace tiny::image
