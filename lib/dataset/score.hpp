#pragma once
// The optional learned quality score: a model that the app supplies (lib/scorer, which keeps torch
// out of this module) scores encoded images in batches, and files outside the score bounds are filtered.
#include "core/file_io.hpp"
#include "dataset/analyze.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

struct ScoreResult {
  double score = 0;
  std::string error;  // non-empty: this image could not be scored (the score is meaningless)
};

class ImageScorer {
public:
  virtual ~ImageScorer() = default;
  // Scores encoded images (`origins` name them in errors), one result each; throws Error if the
  // model itself fails (it cannot run, or returns the wrong shape).
  virtual std::vector<ScoreResult> score(const std::vector<Bytes>& images, const std::vector<std::string>& origins) = 0;
  // How many images one call to score() should take.
  virtual size_t batch_size() const = 0;
};

// Scores every record that is neither unreadable nor filtered, batch by batch (files and tar
// members read in parallel), and filters those outside filters.min_score / max_score; a file that
// cannot be scored is filtered with reason "score failed: ..." and logged as a warning.
void score_records(std::vector<FileRecord>& records, ImageScorer& scorer, const Filters& filters);

}  // namespace tiny::dataset
