#include "image/image.hpp"

#include "core/threads.hpp"

#include <opencv2/core.hpp>

namespace tiny::image {

Image Image::blank(int width, int height) {
  Image img;
  img.width = width;
  img.height = height;
  img.pixels.assign(static_cast<size_t>(width) * height * 3, 0);
  return img;
}

void make_gray(Image& image) { make_gray(image.pixels.data(), image.pixels.size() / 3); }

void make_gray(uint8_t* rgb, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    uint8_t* p = rgb + 3 * i;
    p[0] = p[1] = p[2] = uint8_t((p[0] + p[1] + p[2] + 1) / 3);
  }
}

void set_opencv_threads(int n) { cv::setNumThreads(n <= 0 ? hardware_threads() : n); }

}  // namespace tiny::image
