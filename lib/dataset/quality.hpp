#pragma once
// No-reference quality measures used as filters.
#include "image/image.hpp"

namespace tiny::dataset {

struct QualityScores {
  double sharpness = 0;     // variance of the Laplacian of the luma (low = blurry)
  double brightness = 0;    // mean luma, 0..255
  double contrast = 0;      // standard deviation of the luma
  double colourfulness = 0; // Hasler-Suesstrunk M = sigma_rgyb + 0.3 mu_rgyb
};

// Measures an image (compute on a fixed-size version for comparable sharpness values).
QualityScores measure_quality(const image::Image& img);

}  // namespace tiny::dataset
