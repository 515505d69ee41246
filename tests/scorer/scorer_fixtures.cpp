#include "scorer_fixtures.hpp"

#include "../dataset/dataset_fixtures.hpp"

#include <torch/script.h>

#include <algorithm>

namespace tiny::test {
namespace {

void save_model(const std::string& path, const std::string& forward) {
  torch::jit::Module m("m");
  m.register_parameter("gain", torch::ones({1}), false);
  m.define(forward);
  m.save(path);
}

}  // namespace

void save_mean_model(const std::string& path) {
  save_model(path, "def forward(self, x):\n    return x.mean(dim=[1, 2, 3]) * self.gain\n");
}

void save_wrong_shape_model(const std::string& path) {
  save_model(path, "def forward(self, x):\n    return x.mean(dim=[2, 3]) * self.gain\n");
}

image::Image picture_at_level(int width, int height, unsigned seed, int level) {
  image::Image img = blocks_image(width, height, seed);
  for (uint8_t& v : img.pixels) v = uint8_t(std::clamp(level - 24 + v / 5, 0, 255));
  return img;
}

}  // namespace tiny::test
