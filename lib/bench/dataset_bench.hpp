#pragma once
// Measurements behind `tiny bench hash` and `tiny bench dedup`: tiny and its baseline in one run.
#include "core/file_io.hpp"
#include "dataset/view_hash.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::bench {

// Encodes Kodak-size JPEGs (quality 90) from the PNG/JPEG files in `folder`; if it holds none,
// `count` synthetic 768x512 pictures are used instead.
std::vector<Bytes> bench_jpegs(const std::string& folder, int count);

// pHash throughput (images/s) of tiny (reduced IDCT decode) against a full-decode OpenCV pHash,
// both in parallel over `jpegs` repeated `rounds` times; checks both give near-equal hashes. Also
// the views signature (filter-dataset's default, reduced decode) against opencv_signature on the same
// decoded pictures, the largest distances between the two, and its speed relative to tiny's pHash;
// views_images_per_cpu_s counts the process's CPU time (all threads), which other load on the machine
// does not inflate.
nlohmann::json bench_hash(const std::vector<Bytes>& jpegs, int rounds);

// The views signature computed view by view with OpenCV (each window area-resized to 64x64, a full
// 64x64 cv::dct, its top-left coefficients): bench hash's baseline for views_hashes.
std::vector<dataset::ViewHash> opencv_signature(const image::Image& img);

// Near-pair search on n random 64-bit hashes plus `planted` near copies (distance 1..t): the index
// over all of them, and the index against brute force on a smaller set of `sample` hashes made the
// same way (exactness checked there; brute force time extrapolated quadratically to all hashes).
nlohmann::json bench_dedup(size_t n, size_t planted, int threshold, size_t sample);

// n random signatures (1 + windows views each, random colour grids), then `planted` copies whose whole
// view is a random view of a random original with at most `coarse` / `fine` bits flipped and whose
// colour grid is the original's (each matches its original).
std::vector<dataset::Signature> planted_signatures(size_t n, size_t planted, int coarse, int fine, uint64_t seed);

// view_pairs on n random signatures (1 + windows views) plus `planted` near copies (the whole view of
// each is a window of an original with bits flipped within the thresholds), against the old path
// (near_pairs on the whole views' 64-bit hashes at pHash's threshold) on the same images; exactness
// checked against brute force on `sample` signatures made the same way. Wall and CPU seconds (all
// threads; other load on the machine does not inflate them) of both.
nlohmann::json bench_view_dedup(size_t n, size_t planted, int coarse_threshold, int fine_threshold, size_t sample);

}  // namespace tiny::bench
