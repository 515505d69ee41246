// Learned scores through the torch-free scorer interface: batches, bounds and per-file failures.
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "dataset/score.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::dataset;

namespace {

// Scores an image by its byte count; "bad" images cannot be scored.
class SizeScorer : public ImageScorer {
public:
  std::vector<ScoreResult> score(const std::vector<Bytes>& images, const std::vector<std::string>& origins) override {
    ++calls;
    std::vector<ScoreResult> out(images.size());
    for (size_t i = 0; i < images.size(); ++i) {
      if (ends_with(origins[i], "bad.bin")) out[i].error = origins[i] + ": cannot score";
      else out[i].score = double(images[i].size());
    }
    return out;
  }
  size_t batch_size() const override { return 2; }
  int calls = 0;
};

}  // namespace

TEST_CASE("score_records scores in batches, filters outside the bounds and reports failures") {
  test::TempDir dir;
  std::vector<FileRecord> records(6);
  const char* names[] = {"small.bin", "mid.bin", "big.bin", "bad.bin", "filtered.bin", "missing.bin"};
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].file = {dir.file(names[i]), names[i]};
    if (i < 5) write_file_atomic(records[i].file.path, Bytes(10 * (i + 1), 1), false);
  }
  records[4].filtered = "too small";
  SizeScorer scorer;
  Filters f;
  f.min_score = 15;
  f.max_score = 25;
  score_records(records, scorer, f);
  CHECK(scorer.calls == 3);
  CHECK(records[0].filtered == "low score: 10 < 15");
  CHECK(records[1].filtered.empty());
  CHECK(*records[1].score == 20);
  CHECK(records[2].filtered == "high score: 30 > 25");
  CHECK(records[3].filtered.find("score failed: ") == 0);
  CHECK(!records[3].score);
  CHECK(records[4].filtered == "too small");
  CHECK(!records[4].score);
  CHECK(records[5].filtered.find("missing.bin: cannot open") != std::string::npos);
}
