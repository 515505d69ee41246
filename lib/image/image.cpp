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

void set_opencv_threads(int n) { cv::setNumThreads(n <= 0 ? hardware_threads() : n); }

}  // namespace tiny::image
