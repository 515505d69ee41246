#include "image/rows.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace tiny::image {

void ImageRowReader::read(uint8_t* out, int count) {
  if (count < 0 || next_ + count > image_.height)
    throw Error(fmt::format("asked for rows {}..{} of a {}-row image", next_, next_ + count, image_.height));
  const size_t row = size_t(image_.width) * 3;
  std::memcpy(out, image_.pixels.data() + size_t(next_) * row, size_t(count) * row);
  next_ += count;
}

void ImageRowWriter::start(int width, int height) {
  image_ = Image::blank(width, height);
  next_ = 0;
}

void ImageRowWriter::write(const uint8_t* rows, int count) {
  if (count < 0 || next_ + count > image_.height)
    throw Error(fmt::format("given rows {}..{} of a {}-row image", next_, next_ + count, image_.height));
  const size_t row = size_t(image_.width) * 3;
  std::memcpy(image_.pixels.data() + size_t(next_) * row, rows, size_t(count) * row);
  next_ += count;
}

void GrayRowWriter::start(int width, int height) {
  width_ = width;
  out_.start(width, height);
}

void GrayRowWriter::write(const uint8_t* rows, int count) {
  gray_.assign(rows, rows + size_t(count) * size_t(width_) * 3);
  make_gray(gray_.data(), gray_.size() / 3);
  out_.write(gray_.data(), count);
}

}  // namespace tiny::image
