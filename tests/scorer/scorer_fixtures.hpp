#pragma once
// TorchScript models built with libtorch inside the tests, for the scorer's unit and CLI tests.
#include "image/image.hpp"

#include <string>

namespace tiny::test {

// Saves a model scoring each image by its mean input value (its brightness for inputs in 0..1).
void save_mean_model(const std::string& path);
// Saves a model returning one value per channel ([N, 3]): the wrong shape for a scorer.
void save_wrong_shape_model(const std::string& path);
// A textured picture whose mean brightness is near `level` (0..255); its structure follows `seed`.
image::Image picture_at_level(int width, int height, unsigned seed, int level);

}  // namespace tiny::test
