// Training curves from a metrics log.
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"
#include "train/curves.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("training plots: smoothed training values and validation points of loss, bpp and PSNR; the lr as logged") {
  test::TempDir dir;
  std::string log;
  for (int step = 1; step <= 6; ++step)
    log += "{\"step\":" + std::to_string(step) + ",\"loss\":" + std::to_string(step) + ",\"bpp\":0.5,\"psnr\":20,\"lr\":" +
           std::to_string(step * 1e-5) + "}\n";
  log += "{\"step\":6,\"eval\":true,\"loss\":2.5,\"bpp\":0.4,\"psnr\":24}\n";
  write_file_atomic(dir.file("metrics.jsonl"), log, false);
  auto plots = train::training_plots(dir.file("metrics.jsonl"), 2);
  REQUIRE(plots.size() == 4);
  CHECK(plots[0].name == "loss");
  CHECK(plots[0].plot.title == dir.path().filename().string() + ": loss");
  CHECK(plots[0].plot.x.lo == 0);
  CHECK(plots[3].name == "lr");
  REQUIRE(plots[3].plot.series.size() == 1);  // no validation lr
  CHECK(plots[3].plot.series[0].y[2] == doctest::Approx(3e-5));  // not smoothed
  REQUIRE(plots[0].plot.series.size() == 2);
  const auto& smoothed = plots[0].plot.series[0].y;
  CHECK(smoothed == std::vector<double>{1, 1.5, 2.5, 3.5, 4.5, 5.5});
  CHECK(plots[0].plot.series[1].y == std::vector<double>{2.5});
  CHECK(plots[0].plot.series[1].name == "validation");
  CHECK(plots[2].plot.series[1].y == std::vector<double>{24});

  auto files = train::write_training_plots(dir.path().string(), false);
  CHECK(files.size() == 8);
  CHECK(std::filesystem::file_size(dir.file("plots/lr.png")) > 1000);
  CHECK(read_text_file(dir.file("plots/psnr.svg")).find("<svg") != std::string::npos);
  CHECK(std::filesystem::file_size(dir.file("plots/loss.png")) > 1000);
  CHECK_THROWS_AS(train::write_training_plots(dir.path().string(), false), Error);  // no overwrite
}

TEST_CASE("training plots of a variable-rate run: one validation series per level") {
  test::TempDir dir;
  std::string log = "{\"step\":1,\"loss\":3,\"bpp\":0.5,\"psnr\":20}\n";
  for (int step : {10, 20})
    for (int level : {1, 2})
      log += "{\"step\":" + std::to_string(step) + ",\"eval\":true,\"level\":" + std::to_string(level) +
             ",\"loss\":1,\"bpp\":0.4,\"psnr\":" + std::to_string(20 + level + step / 10) + "}\n";
  write_file_atomic(dir.file("metrics.jsonl"), log, false);
  auto plots = train::training_plots(dir.file("metrics.jsonl"), 2);
  const auto& psnr = plots[2].plot;
  REQUIRE(psnr.series.size() == 3);
  CHECK(psnr.series[1].name == "validation, level 1");
  CHECK(psnr.series[1].x == std::vector<double>{10, 20});
  CHECK(psnr.series[1].y == std::vector<double>{22, 23});
  CHECK(psnr.series[2].y == std::vector<double>{23, 24});
}

TEST_CASE("training plots refuse a missing, malformed or empty log, naming it") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(train::training_plots(dir.file("none.jsonl")), doctest::Contains("none.jsonl"), Error);
  write_file_atomic(dir.file("bad.jsonl"), std::string("{\"step\":1,\"loss\":2}\n{oops\n"), false);
  CHECK_THROWS_WITH_AS(train::training_plots(dir.file("bad.jsonl")), doctest::Contains("line 2"), Error);
  write_file_atomic(dir.file("empty.jsonl"), std::string("\n"), false);
  CHECK_THROWS_WITH_AS(train::training_plots(dir.file("empty.jsonl")), doctest::Contains("no metrics"), Error);
}
