#include "image/png_rows.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <png.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tiny::image {
namespace {

// libpng reports errors by longjmp to the caller's setjmp; this keeps its message first.
void png_failure(png_structp png, png_const_charp message) {
  *static_cast<std::string*>(png_get_error_ptr(png)) = message;
  png_longjmp(png, 1);
}

void png_quiet(png_structp, png_const_charp) {}

void sink_bytes(png_structp png, png_bytep data, png_size_t size) {
  (*static_cast<PngRowEncoder::Sink*>(png_get_io_ptr(png)))(data, size);
}

void no_flush(png_structp) {}

}  // namespace

PngRowEncoder::PngRowEncoder(Sink sink, const EncodeOptions& options) : sink_(std::move(sink)), options_(options) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &why_, png_failure, png_quiet);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("cannot initialise libpng");
  }
  png_ = png, info_ = info;
}

PngRowEncoder::~PngRowEncoder() {
  auto png = static_cast<png_structp>(png_);
  auto info = static_cast<png_infop>(info_);
  png_destroy_write_struct(&png, &info);
}

// Each call below sets its own setjmp: no object with a destructor lives between it and libpng.
void PngRowEncoder::start(int width, int height) {
  auto png = static_cast<png_structp>(png_);
  auto info = static_cast<png_infop>(info_);
  if (setjmp(png_jmpbuf(png))) throw Error("PNG encoding failed: " + why_);
  png_set_write_fn(png, &sink_, sink_bytes, no_flush);
  png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, options_.png_filter == PngFilter::up ? PNG_FILTER_UP : PNG_ALL_FILTERS);
  png_set_compression_level(png, std::clamp(options_.png_compression, 0, 9));
  png_set_compression_mem_level(png, 9);
  png_write_info(png, info);
  width_ = width, height_ = height;
}

void PngRowEncoder::write(const uint8_t* rows, int count) {
  if (written_ + count > height_) throw Error(fmt::format("PNG encoding: row {} of a {}-row image", written_ + count, height_));
  auto png = static_cast<png_structp>(png_);
  if (setjmp(png_jmpbuf(png))) throw Error("PNG encoding failed: " + why_);
  const size_t stride = size_t(width_) * 3;
  for (int y = 0; y < count; ++y) png_write_row(png, const_cast<png_bytep>(rows + size_t(y) * stride));
  written_ += count;
}

void PngRowEncoder::finish() {
  if (written_ != height_) throw Error(fmt::format("PNG encoding: {} of {} rows written", written_, height_));
  auto png = static_cast<png_structp>(png_);
  if (setjmp(png_jmpbuf(png))) throw Error("PNG encoding failed: " + why_);
  png_write_end(png, static_cast<png_infop>(info_));
}

PngRowReader::PngRowReader(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw Error(file_error(path, std::strerror(errno)));
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &why_, png_failure, png_quiet);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::fclose(file_);
    throw Error("cannot initialise libpng");
  }
  png_ = png, info_ = info;
  if (setjmp(png_jmpbuf(png))) throw Error(file_error(path_, "cannot decode png: " + why_));
  png_init_io(png, file_);
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_read_info(png, info);
  width_ = int(png_get_image_width(png, info));
  height_ = int(png_get_image_height(png, info));
  interlaced_ = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
  const int type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (depth == 16) png_set_scale_16(png);
  if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  if (type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != size_t(width_) * 3)
    throw Error(file_error(path_, "PNG rows do not convert to 8-bit RGB"));
}

PngRowReader::~PngRowReader() {
  auto png = static_cast<png_structp>(png_);
  auto info = static_cast<png_infop>(info_);
  png_destroy_read_struct(&png, &info, nullptr);
  if (file_) std::fclose(file_);
}

void PngRowReader::read(uint8_t* out, int count) {
  if (interlaced_) throw Error(file_error(path_, "an interlaced PNG cannot be read a row at a time"));
  if (count < 0 || next_ + count > height_)
    throw Error(file_error(path_, fmt::format("asked for rows {}..{} of a {}-row PNG", next_, next_ + count, height_)));
  auto png = static_cast<png_structp>(png_);
  if (setjmp(png_jmpbuf(png))) throw Error(file_error(path_, "cannot decode png: truncated or corrupt data (" + why_ + ")"));
  const size_t stride = size_t(width_) * 3;
  for (int y = 0; y < count; ++y) png_read_row(png, out + size_t(y) * stride, nullptr);
  next_ += count;
}

}  // namespace tiny::image
