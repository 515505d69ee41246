#pragma once
// Encoded images to a scorer's input: decode, resize and crop in one pass (the fused load
// pipeline), then scale, normalize and order the channels into float32 CHW.
#include "core/file_io.hpp"
#include "image/load.hpp"
#include "scorer/scorer.hpp"

#include <array>
#include <string>

namespace tiny::scorer {

struct Preprocess {
  image::LoadSpec load;                    // gives size x size 8-bit RGB
  int size = 0;
  std::array<float, 3> scale{}, offset{};  // output channel c = pixel * scale[c] + offset[c]
  bool bgr = false;                        // output channel c comes from RGB channel 2 - c
};

// Checks the options and compiles them; throws UsageError naming the bad option and value.
Preprocess make_preprocess(const ScorerOptions& options);
// Loads one encoded image into `out` (3 x size x size floats); throws Error naming `origin` if it
// cannot be decoded.
void preprocess(const Bytes& bytes, const std::string& origin, const Preprocess& p, float* out);

}  // namespace tiny::scorer
