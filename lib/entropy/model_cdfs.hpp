#pragma once
// The quantized CDF tables of CompressAI's entropy models built without torch: the Gaussian
// conditional's scale table and CDFs, and a factorized-prior-like set of Laplacians (the realistic
// tables `tiny bench rans`, the tests and the fuzz targets code with).
#include "entropy/cdf.hpp"

#include <vector>

namespace tiny::entropy {

// CompressAI's Gaussian scale table: 64 scales exp(linspace(ln 0.11, ln 256)).
std::vector<float> gaussian_scale_table();
// CompressAI's GaussianConditional tables for the given scales (tail mass 1e-9).
std::vector<QuantizedCdf> gaussian_cdfs(const std::vector<float>& scales, double tail_mass = 1e-9);
// A factorized-prior-like set: one discretized Laplacian per channel, scales 0.3 to 12.
std::vector<QuantizedCdf> factorized_cdfs(int channels);

}  // namespace tiny::entropy
