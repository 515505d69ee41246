#pragma once
// The in-memory image every tiny module exchanges: 8-bit RGB, interleaved, rows packed.
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::image {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3 bytes, RGB order, row-major
  bool truncated = false;       // decoded from truncated/corrupt data as far as possible

  // Returns a black image of the given size.
  static Image blank(int width, int height);
  // Number of bytes (width * height * 3).
  size_t size_bytes() const { return pixels.size(); }
  // Pointer to pixel (x, y).
  uint8_t* at(int x, int y) { return pixels.data() + (static_cast<size_t>(y) * width + x) * 3; }
  const uint8_t* at(int x, int y) const { return pixels.data() + (static_cast<size_t>(y) * width + x) * 3; }
};

// Turns every pixel grey in place: each channel becomes the rounded mean of the pixel's three.
void make_gray(Image& image);
// The same for `count` packed RGB pixels.
void make_gray(uint8_t* rgb, size_t count);
// Sets the thread count of OpenCV's internal pool (n <= 0: all cores).
void set_opencv_threads(int n);

}  // namespace tiny::image
