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

void make_gray(Image& image) {
  for (size_t i = 0; i + 2 < image.pixels.size(); i += 3) {
    uint8_t* p = image.pixels.data() + i;
    p[0] = p[1] = p[2] = uint8_t((p[0] + p[1] + p[2] + 1) / 3);
  }
}

void set_opencv_threads(int n) { cv::setNumThreads(n <= 0 ? hardware_threads() : n); }

}  // namespace tiny::image
