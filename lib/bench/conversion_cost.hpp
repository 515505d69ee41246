#pragma once
// What converting a set of models costs in rate–distortion: the original `.tmodel` files (one per
// quality) and their converted versions (quantized, rank-truncated) measured on the same images by
// the bench code, with the BD-rate of the converted set against the original one.
#include "bench/report.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct ConversionCost {
  BenchResult result;   // codecs[0] "original", codecs[1] "converted"
  std::vector<Curve> curves;  // the two mean curves, in that order
  std::vector<BdRow> bd;      // "converted" against "original"; empty with a single quality
};

// Measures both sets on `images`; throws Error if a set is empty or their qualities differ.
ConversionCost measure_conversion_cost(const std::vector<std::string>& originals,
                                       const std::vector<std::string>& converted,
                                       const std::vector<std::string>& images);

}  // namespace tiny::bench
