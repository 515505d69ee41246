#include "dataset/score.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"

#include <algorithm>

namespace tiny::dataset {

void score_records(std::vector<FileRecord>& records, ImageScorer& scorer, const Filters& filters) {
  std::vector<size_t> pending;
  for (size_t i = 0; i < records.size(); ++i)
    if (records[i].error.empty() && records[i].filtered.empty()) pending.push_back(i);
  const size_t batch = std::max<size_t>(scorer.batch_size(), 1);
  Progress progress("scoring", pending.size(), "images");
  for (size_t first = 0; first < pending.size(); first += batch) {
    const size_t n = std::min(batch, pending.size() - first);
    std::vector<Bytes> images(n);
    std::vector<std::string> origins(n), failures(n);
    parallel_for(0, n, [&](size_t k) {
      const SourceFile& file = records[pending[first + k]].file;
      origins[k] = file.path;
      try {
        images[k] = read_source(file);
      } catch (const Error& e) {
        failures[k] = e.what();
      }
    });
    std::vector<ScoreResult> scores = scorer.score(images, origins);
    if (scores.size() != n) throw Error("the scorer returned a wrong number of scores");
    for (size_t k = 0; k < n; ++k) {
      FileRecord& r = records[pending[first + k]];
      std::string failure = failures[k].empty() ? scores[k].error : failures[k];
      if (failure.empty()) {
        r.score = scores[k].score;
        r.filtered = filters.check_score(scores[k].score);
      } else {
        r.filtered = "score failed: " + failure;
        log::warn("skipped {}", r.filtered);
      }
    }
    progress.advance(n);
  }
}

}  // namespace tiny::dataset
