#pragma once
// Examining files and tar members in parallel: size, header probe, content hash, perceptual hash, quality.
#include "dataset/hash_cache.hpp"
#include "dataset/perceptual_hash.hpp"
#include "dataset/quality.hpp"
#include "dataset/sources.hpp"
#include "dataset/view_hash.hpp"
#include "image/probe.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tiny::dataset {

// Thresholds; 0 (or empty) turns a filter off.
struct Filters {
  int min_side = 0, max_side = 0;
  uint64_t min_pixels = 0;
  double max_aspect = 0;                 // longer side / shorter side
  std::vector<image::Format> formats;    // allowed formats
  double min_sharpness = 0;              // variance of the Laplacian at the quality size
  double min_brightness = 0, max_brightness = 0;
  double min_contrast = 0, min_colourfulness = 0;
  std::optional<double> min_score, max_score;  // learned score bounds (applied by score_records)
  // True if a quality threshold is set (the quality measures are then computed).
  bool needs_quality() const;
  // Why a probed header fails the cheap filters ("" if it passes).
  std::string check_header(const image::ImageInfo& info) const;
  // Why quality scores fail the quality filters ("" if they pass).
  std::string check_quality(const QualityScores& q) const;
  // Why a learned score is outside [min_score, max_score] ("" if inside).
  std::string check_score(double score) const;
};

struct AnalyzeOptions {
  Filters filters;
  HashKind hash = HashKind::views;
  bool mirror = false;         // views: also hash the picture flipped left-right
  bool verify_decode = false;  // decode every file fully to find corrupt or truncated ones
  int quality_side = 256;      // quality is measured on the image resized to this shorter side
  const HashCache* cache = nullptr;  // hashes of unchanged files are taken from here
};

struct FileRecord {
  SourceFile file;
  uint64_t size = 0;
  int64_t mtime = 0;             // seconds since the epoch (a tar member's: from its tar header)
  int64_t mtime_ns = 0;          // nanoseconds since the epoch (a tar member's: its shard's)
  bool from_cache = false;       // hashes came from the cache (the file was not decoded)
  image::ImageInfo info;         // header probe
  uint64_t content = 0;          // content hash of the bytes
  PerceptualHash hash;
  Signature signature;           // when hashing views
  bool reference = false;        // from a --reference source: never removed, never placed
  QualityScores quality;
  std::optional<double> score;   // learned quality score, when a scorer ran on the file
  std::string error;             // non-empty: the file could not be read, probed or decoded
  std::string filtered;          // non-empty: why a filter removed the file (then not hashed)
};

// Examines every file (in parallel, results in input order); failures are recorded, not thrown.
std::vector<FileRecord> analyze_files(const std::vector<SourceFile>& files, const AnalyzeOptions& options);
// Examines one file; throws Error naming the file on failure.
FileRecord analyze_file(const SourceFile& file, const AnalyzeOptions& options);

}  // namespace tiny::dataset
