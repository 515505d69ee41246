#pragma once
// `tiny bench ingest`: end-to-end images/s of run_ingest (download + decode + resize to 256 + JPEG
// encode + tar write) from a loopback HTTP server serving Kodak-size (768x512) JPEGs made from real
// photos, at several concurrency levels; a download-only pass (where time goes); and in the same
// run a naive sequential baseline: one blocking curl_easy transfer at a time, full-size decode,
// cv::resize, encode, tar.
#include "core/json_file.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct IngestBenchOptions {
  bool quick = false;
  std::string photos;                       // folder searched (recursively) for source JPEG photos
  size_t urls = 3000;                       // URLs per tiny run (quick: 400)
  size_t baseline_urls = 600;               // URLs for the naive baseline (quick: 150)
  std::vector<int> concurrency = {8, 32, 128};  // quick: 16, 64
  int threads = 0;                          // decode/encode threads (0: tiny's thread count)
};

// Runs the benchmark; returns {"results": [...], "baseline": {...}, "ratio", "peak_rss_mb", ...}.
// Throws Error if the photos folder has no JPEG photos.
Json run_ingest_bench(const IngestBenchOptions& options);

}  // namespace tiny::bench
