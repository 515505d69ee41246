// tiny filter-dataset with a learned scorer: a TorchScript model built here scores brightness, the
// threshold keeps exactly the bright picture (from a folder and from a shard), and broken models are
// one-line errors.
#include "../scorer/scorer_fixtures.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

using namespace tiny;
using test::run_tiny;
namespace fs = std::filesystem;

namespace {

// src/bright.png and src/dark.png, and shard.tar with a bright and a dark member.
void make_pictures(const test::TempDir& dir) {
  fs::create_directories(dir.path() / "src");
  image::write_image(dir.file("src/bright.png"), test::picture_at_level(96, 64, 1, 200), false);
  image::write_image(dir.file("src/dark.png"), test::picture_at_level(96, 64, 2, 50), false);
  shards::ShardWriter w(dir.file("shard.tar"), false);
  w.add({"b", {{"png", image::encode_image(test::picture_at_level(96, 64, 3, 210), image::Format::png)}}});
  w.add({"d", {{"png", image::encode_image(test::picture_at_level(96, 64, 4, 40), image::Format::png)}}});
  w.commit();
}

}  // namespace

TEST_CASE("tiny filter-dataset --scorer keeps exactly the images scoring above --min-score") {
  test::TempDir dir;
  make_pictures(dir);
  test::save_mean_model(dir.file("mean.pt"));
  std::string sources = dir.file("src") + " " + dir.file("shard.tar");
  auto r = run_tiny("filter-dataset --json " + sources + " --scorer " + dir.file("mean.pt") +
                    " --scorer-size 32 --scorer-batch 3 --min-score 0.5 --report " + dir.file("report"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["kept"] == Json::array({dir.file("src/bright.png"), dir.file("shard.tar/b.png")}));
  CHECK(j["summary"]["scored"] == 4);
  CHECK(j["scores"][dir.file("src/bright.png")].get<double>() > 0.7);
  CHECK(j["scores"][dir.file("shard.tar/d.png")].get<double>() < 0.3);
  CHECK(j["removed"][0]["reason"].get<std::string>().find("low score: ") == 0);
  CHECK(fs::exists(dir.file("report/scores.json")));

  // The same run from a config file, with an upper bound instead.
  write_file_atomic(dir.file("c.json"),
                    Json{{"sources", {dir.file("src")}}, {"scorer", dir.file("mean.pt")}, {"scorer-size", 32},
                         {"scorer-mean", {0.5}}, {"scorer-std", {0.5, 0.5, 0.5}}, {"max-score", 0}}
                        .dump(),
                    false);
  auto c = run_tiny("filter-dataset --json --config " + dir.file("c.json"));
  REQUIRE(c.exit_code == 0);
  CHECK(parse_json(c.out, "stdout")["kept"] == Json::array({dir.file("src/dark.png")}));
}

TEST_CASE("tiny filter-dataset --scorer: bad models and options are one-line errors") {
  test::TempDir dir;
  make_pictures(dir);
  write_file_atomic(dir.file("bad.pt"), std::string_view("not a model"), false);
  auto bad = run_tiny("filter-dataset " + dir.file("src") + " --scorer " + dir.file("bad.pt"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("tiny: error: " + dir.file("bad.pt") + ": not a loadable TorchScript model") == 0);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  test::save_wrong_shape_model(dir.file("shape.pt"));
  auto shape = run_tiny("filter-dataset " + dir.file("src") + " --scorer " + dir.file("shape.pt"));
  CHECK(shape.exit_code == 1);
  CHECK(shape.err.find(dir.file("shape.pt") + ": the model returned shape [2, 3]") != std::string::npos);
  CHECK(run_tiny("filter-dataset " + dir.file("src") + " --min-score 1").exit_code == 2);
  auto resize = run_tiny("filter-dataset " + dir.file("src") + " --scorer " + dir.file("shape.pt") + " --scorer-resize fit");
  CHECK(resize.exit_code == 2);
  CHECK(resize.err.find("'fit'") != std::string::npos);
}
