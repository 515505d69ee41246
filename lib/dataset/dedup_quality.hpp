#pragma once
// Near-duplicate detection quality: variants of real photos (resize, JPEG re-compression, crops,
// brightness/contrast, small rotation, mirror, text overlay) against distinct photos as negatives;
// precision and recall per hash kind and threshold.
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::dataset {

// The named edited copies of a photo (deterministic).
std::vector<std::pair<std::string, image::Image>> make_variants(const image::Image& photo);

// Loads up to `count` photos (sorted paths, recursively) from `folder`, decoded near 512 px.
std::vector<image::Image> load_photos(const std::string& folder, int count);

// For every hash kind and threshold: recall on non-mirrored variants, recall on mirrored ones and
// precision over all photo/variant pairs (pairs from different photos are negatives); plus, per
// kind, the largest threshold with precision >= 0.99 and its recall.
nlohmann::json dedup_quality(const std::vector<image::Image>& photos);

}  // namespace tiny::dataset
