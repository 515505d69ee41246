#pragma once
// Edited copies of a photo, as near-duplicates appear on the web: resized, re-encoded as JPEG,
// cropped (up to 10 % per edge, symmetric, one-sided and random per edge), brightness and contrast
// ±20 %, rotated ±3°, a text overlay, and mirrored left-right.
#include "image/image.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tiny::bench {

// The edited copies of a photo, named; `seed` picks the random crop. Deterministic.
std::vector<std::pair<std::string, image::Image>> make_variants(const image::Image& photo, uint64_t seed);

// True for the variant names that are mirrored copies (found only when flips are matched).
bool is_mirror_variant(const std::string& name);

}  // namespace tiny::bench
