#pragma once
// Test pictures whose coarse structure differs from seed to seed (random blocks over a texture),
// so their perceptual hashes are far apart.
#include "image/image.hpp"
#include "test_support.hpp"

#include <random>

namespace tiny::test {

inline image::Image blocks_image(int width, int height, unsigned seed) {
  image::Image img = make_test_image(width, height, seed);
  std::mt19937 rng(seed);
  const int gx = 6, gy = 5;
  int level[gy][gx];
  for (auto& row : level)
    for (int& v : row) v = int(rng() % 200);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = img.at(x, y);
      int v = level[y * gy / height][x * gx / width];
      for (int c = 0; c < 3; ++c) p[c] = uint8_t((p[c] / 5) + v);
    }
  return img;
}

}  // namespace tiny::test
