#pragma once
// A fixed pseudo-random network and input that exercise every kernel path (strided, padded, sub-pixel
// with skipped taps, odd channel counts, both shuffles, GDN and its inverse, every activation), and a
// digest of its output: equal digests from builds for different instruction sets show equal sums.
#include "kernels/fixed_order.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::test {

// The probe network's layers.
std::vector<kernels::Layer> probe_layers();
// The probe input (height x width x channels of probe_layers()'s input).
kernels::FeatureMap probe_input(int height, int width);
// FNV-1a 64 of the output floats' bytes, as 16 hex digits.
std::string digest(const kernels::FeatureMap& f);

}  // namespace tiny::test
