#pragma once
// Near-duplicate detection quality on real photos: how often distinct photos fall within each
// distance (all pairs, tail fitted and extrapolated to a large data set) and how many edited copies
// (dedup_variants.hpp) are found, for every hash tiny offers and for the crop-robust views.
#include "dataset/view_hash.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::bench {

struct Photo {
  std::string path;
  Bytes bytes;         // the file as stored
  image::Image image;  // decoded near 512 px: what the edited copies are made from
};

// Which photos of a folder to use: all, the tuning half (settings were chosen on it) or the held-out
// half (the targets are reported on it). The halves are split by a hash of each file's name.
enum class PhotoSplit { all, tune, held_out };

// Parses "all", "tune" or "held-out"; throws UsageError otherwise.
PhotoSplit photo_split_from_name(const std::string& name);
// True if the file name (without folders) falls in the held-out half: FNV-1a 64 of the name is odd.
bool is_held_out(const std::string& path);

// Loads up to `count` photos (0: all) of a split (sorted paths, recursively) from `folder`, decoded
// near 512 px, spread over the sorted list. Throws UsageError if fewer than 2 remain.
std::vector<Photo> load_photos(const std::string& folder, int count, PhotoSplit split);

struct QualityOptions {
  std::vector<std::vector<float>> window_cuts = dataset::kWindowCuts;  // crop windows of the views (view_hash.hpp)
  int coarse_threshold = dataset::kCoarseThreshold;  // candidate stage of the views
  int fine_threshold = dataset::kFineThreshold;      // verification stage of the views (the row marked "default")
  bool mirror = false;       // match mirrored views; mirrored copies count towards recall
  double scale = 1e6;        // data set size the false pairs are extrapolated to
  double budget = 10;        // false pairs allowed at that size
};

// Every item (a photo's file; each edited copy saved as a JPEG) is hashed from its bytes through the
// decode filter-dataset uses (encoded_view_hashes; the other kinds at hash_input_side).
// For each hash kind (ahash, dhash, phash, phash256) and threshold, and for the views at the coarse
// threshold and each fine threshold (two stages: views, then the colour check): recall (mirrored
// copies apart), precision over every pair of different photos' items, and the expected false pairs
// among `scale` distinct images from the fitted tail (views: times the fraction of the distinct pairs
// in the fitted range whose colours agree); per method the largest threshold within the budget; per variant the recall of the
// views at the given thresholds; the distance histograms.
nlohmann::json dedup_quality(const std::vector<Photo>& photos, const QualityOptions& options);

}  // namespace tiny::bench
