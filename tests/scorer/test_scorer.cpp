// The TorchScript scorer on models built here with libtorch: batches, per-image failures, and
// models that cannot be loaded or return the wrong shape.
#include "core/error.hpp"
#include "image/encode.hpp"
#include "scorer/scorer.hpp"
#include "scorer_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::scorer;

namespace {

Bytes picture(unsigned seed, int level) {
  return image::encode_image(test::picture_at_level(64, 48, seed, level), image::Format::png);
}

}  // namespace

TEST_CASE("scorer: a mean-brightness model scores bright above dark and flags undecodable images") {
  test::TempDir dir;
  ScorerOptions o;
  o.model = dir.file("mean.pt");
  o.size = 32;
  test::save_mean_model(o.model);
  auto scorer = load_scorer(o);
  CHECK(scorer->batch_size() == 16);
  auto scores = scorer->score({picture(1, 200), picture(2, 50), Bytes(10, 1)}, {"bright.png", "dark.png", "junk.png"});
  REQUIRE(scores.size() == 3);
  CHECK(scores[0].error.empty());
  CHECK(scores[0].score == doctest::Approx(200 / 255.0).epsilon(0.05));
  CHECK(scores[1].score == doctest::Approx(50 / 255.0).epsilon(0.1));
  CHECK(scores[2].error.find("junk.png") == 0);
  CHECK(scorer->score({}, {}).empty());
}

TEST_CASE("scorer: unloadable models and wrong output shapes are one-line errors naming the file") {
  test::TempDir dir;
  ScorerOptions o;
  o.model = dir.file("bad.pt");
  write_file_atomic(o.model, std::string_view("not a model"), false);
  try {
    load_scorer(o);
    FAIL("no error");
  } catch (const Error& e) {
    std::string what = e.what();
    CHECK(what.find(o.model + ": not a loadable TorchScript model") == 0);
    CHECK(what.find('\n') == std::string::npos);
  }
  o.model = dir.file("none.pt");
  CHECK_THROWS_WITH_AS(load_scorer(o), doctest::Contains("none.pt: no such model file"), Error);
  o.model = dir.file("shape.pt");
  test::save_wrong_shape_model(o.model);
  auto scorer = load_scorer(o);
  CHECK_THROWS_WITH_AS(scorer->score({picture(1, 100), picture(2, 100)}, {"a.png", "b.png"}),
                       doctest::Contains("shape.pt: the model returned shape [2, 3] for a batch of 2 images"), Error);
  o.resize = "fit";
  CHECK_THROWS_AS(load_scorer(o), UsageError);
}
