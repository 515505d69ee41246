#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using test::run_tiny;

namespace {

// Writes a small training configuration on generated images and returns its path.
std::string write_config(const test::TempDir& dir, const Json& changes) {
  std::filesystem::create_directories(dir.file("data"));
  for (int i = 0; i < 4; ++i)
    image::write_image(dir.file("data/" + std::to_string(i) + ".png"), test::make_test_image(80, 72, unsigned(i)), true);
  Json j = {{"model", {{"arch", "bmshj2018-factorized"}, {"quality", 2}, {"N", 16}, {"M", 16}}},
            {"data", {{"train", dir.file("data")}, {"patch_size", 64}, {"batch_size", 2}, {"val_patch_size", 64}}},
            {"steps", 3},
            {"eval_interval", 2},
            {"checkpoint_dir", dir.file("run")}};
  j.merge_patch(changes);
  write_file_atomic(dir.file("train.json"), j.dump(), true);
  return dir.file("train.json");
}

}  // namespace

TEST_CASE("tiny train trains, logs, checkpoints and exports a model that tiny can use") {
  test::TempDir dir;
  auto r = run_tiny("train --json --threads 1 --config " + write_config(dir, Json::object()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("is not the") == std::string::npos);
  Json summary = parse_json(r.out, "stdout");
  CHECK(summary["steps"] == 3);
  CHECK(summary["finished"] == true);
  const std::string model = summary["model"];
  CHECK(std::filesystem::exists(dir.file("run/last.ckpt")));
  CHECK(std::filesystem::exists(dir.file("run/metrics.jsonl")));
  auto info = run_tiny("info --json " + model);
  REQUIRE(info.exit_code == 0);
  CHECK(parse_json(info.out, "stdout")["files"][0]["arch"] == "bmshj2018-factorized");
  auto compressed = run_tiny("compress -m " + model + " " + dir.file("data/0.png") + " -o " + dir.file("x.tic"));
  CHECK(compressed.exit_code == 0);
  auto again = run_tiny("train --config " + dir.file("train.json"));
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("--resume") != std::string::npos);

  auto plot = run_tiny("train --plot " + dir.file("run"));
  REQUIRE(plot.exit_code == 0);
  CHECK(plot.out.find("loss.svg") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("run/plots/psnr.png")));
  CHECK(run_tiny("train").exit_code == 2);
}

TEST_CASE("tiny train rejects unknown keys, missing configs and missing data on one line") {
  test::TempDir dir;
  auto unknown = run_tiny("train --config " + write_config(dir, {{"data", {{"patchsize", 64}}}}));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("patchsize") != std::string::npos);
  auto missing = run_tiny("train --config " + dir.file("nope.json"));
  CHECK(missing.exit_code == 2);
  auto no_data = run_tiny("train --config " + write_config(dir, {{"data", {{"train", dir.file("absent")}}}}));
  CHECK(no_data.exit_code == 1);
  CHECK(no_data.err.find("absent") != std::string::npos);
}

TEST_CASE("tiny train warns when loss.lambda is not the lambda of the model's quality") {
  test::TempDir dir;
  auto r = run_tiny("train --threads 1 --config " + write_config(dir, {{"steps", 1}, {"loss", {{"lambda", 0.0067}}}}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("loss.lambda 0.0067 is not the mse lambda of quality 2 (0.0035)") != std::string::npos);
}

TEST_CASE("tiny train --set overrides the configuration and --print-config prints the effective one") {
  test::TempDir dir;
  const std::string config = write_config(dir, Json::object());
  auto r = run_tiny("train --config " + config + " --set loss.lambda=0.013 --set data.batch_size=4 --print-config");
  REQUIRE(r.exit_code == 0);
  Json printed = parse_json(r.out, "stdout");
  CHECK(printed["loss"]["lambda"] == 0.013);
  CHECK(printed["data"]["batch_size"] == 4);
  CHECK(printed["optimizer"]["lr"] == 1e-4);  // a default, filled in
  CHECK(!std::filesystem::exists(dir.file("run")));  // nothing trained
  write_file_atomic(dir.file("printed.json"), r.out, false);
  auto again = run_tiny("train --config " + dir.file("printed.json") + " --print-config");
  REQUIRE(again.exit_code == 0);
  CHECK(parse_json(again.out, "stdout") == printed);
  auto bad = run_tiny("train --config " + config + " --set loss.lamda=1 --print-config");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("loss.lamda: no such configuration key") != std::string::npos);
}
