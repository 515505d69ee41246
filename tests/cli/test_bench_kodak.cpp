#include "codec/codec.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using test::run_tiny;

namespace {

void write_set(const test::TempDir& dir) {
  image::write_image(dir.file("a.png"), test::make_test_image(176, 168, 1), false);
  image::write_image(dir.file("b.png"), test::make_test_image(192, 176, 2), false);
}

}  // namespace

TEST_CASE("tiny bench images DIR --quick --json measures every codec with BD rows against jpeg420") {
  test::TempDir dir;
  write_set(dir);
  auto r = run_tiny("bench images " + dir.path().string() + " --quick --json --codecs jpeg420,webp,jxl");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["images"] == 2);
  CHECK(j["skipped_images"] == 0);
  REQUIRE(j["codecs"].size() == 3);
  for (const Json& c : j["codecs"]) {
    REQUIRE(c["points"].size() == 4);
    for (const Json& p : c["points"]) {
      CHECK(p["images_ok"] == 2);
      CHECK(p["mean"]["bpp"].get<double>() > 0);
      CHECK(p["images"].size() == 2);
    }
  }
  CHECK(j["anchor"] == "jpeg420");
  CHECK(j["codecs"][2]["setting_unit"] == "distance");
  CHECK(j["codecs"][2]["points"][0]["setting"] == 12);
  REQUIRE(j["bd"].size() == 2);
  CHECK(j["bd"][0]["name"] == "webp");
  CHECK(j["curves"][0]["results"]["psnr-rgb"].size() == 4);
}

TEST_CASE("tiny bench images writes CSV, plots and CompressAI results that --compare reads back") {
  test::TempDir dir, out;
  write_set(dir);
  std::string base = "bench images " + dir.path().string() + " --quick --codecs jpeg420,webp ";
  auto r = run_tiny(base + "--csv " + out.file("r.csv") + " --plots " + out.file("plots") + " --save-results " +
                    out.file("res"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("BD-rate") != std::string::npos);
  std::string csv = read_text_file(out.file("r.csv"));
  CHECK(csv.rfind("codec,setting,setting_unit,file,bytes", 0) == 0);
  CHECK(csv.find("\nwebp,5,q,") != std::string::npos);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 4 * 2);
  CHECK(read_text_file(out.file("plots/rd-psnr.svg")).find("<svg") != std::string::npos);
  CHECK(std::filesystem::file_size(out.file("plots/rd-msssim.png")) > 1000);
  Json saved = read_json_file(out.file("res/webp.json"));
  saved["name"] = "my-webp";
  write_file_atomic(out.file("mine.json"), saved.dump(), false);
  auto cmp = run_tiny(base + "--json --compare " + out.file("mine.json"));
  REQUIRE(cmp.exit_code == 0);
  Json j = parse_json(cmp.out, "stdout");
  // The saved curve is the measured webp curve, so its BD numbers equal webp's.
  REQUIRE(j["bd"].size() == 2);
  CHECK(j["bd"][0]["name"] == "webp");
  CHECK(j["bd"][1]["name"] == "my-webp");
  CHECK(j["bd"][0]["published"] == false);
  CHECK(j["bd"][1]["published"] == true);  // read from a file, not measured
  CHECK(cmp.out.find("\"published\": true") != std::string::npos);
  CHECK(j["bd"][1]["bd_rate_pchip"].get<double>() == doctest::Approx(j["bd"][0]["bd_rate_pchip"].get<double>()).epsilon(1e-6));
  CHECK(j["bd"][1]["bd_psnr_cubic"].get<double>() == doctest::Approx(j["bd"][0]["bd_psnr_cubic"].get<double>()).epsilon(1e-6));

  // A compared curve can be the anchor: webp against its own saved curve is 0%.
  auto anchored = run_tiny(base + "--json --compare " + out.file("mine.json") + " --anchor my-webp");
  REQUIRE(anchored.exit_code == 0);
  Json a = parse_json(anchored.out, "stdout");
  CHECK(a["anchor"] == "my-webp");
  for (const Json& row : a["bd"])
    if (row["name"] == "webp") CHECK(row["bd_rate_pchip"].get<double>() == doctest::Approx(0.0).epsilon(1e-9));
}

TEST_CASE("tiny bench images: a corrupt image is reported, skipped and counted") {
  test::TempDir dir;
  write_set(dir);
  write_file_atomic(dir.file("c.png"), std::string("\x89PNG\r\n\x1a\n not really"), false);
  auto r = run_tiny("bench images " + dir.path().string() + " --quick --json --codecs jpeg420");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("c.png") != std::string::npos);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["skipped_images"] == 1);
  CHECK(j["codecs"][0]["points"][0]["images_ok"] == 2);
}

TEST_CASE("tiny bench: bad input fails at once with one clear line") {
  test::TempDir dir;
  write_set(dir);
  auto unwritable = run_tiny("bench images " + dir.path().string() + " --quick --csv /proc/nope/r.csv");
  CHECK(unwritable.exit_code == 1);
  CHECK(unwritable.err.find("/proc/nope") != std::string::npos);
  auto no_report = run_tiny("bench images " + dir.path().string() + " --quick --codecs jpeg420 --report /proc/nope/report");
  CHECK(no_report.exit_code == 1);
  CHECK(no_report.err.find("/proc/nope/report") != std::string::npos);
  CHECK(no_report.err.find("measuring") == std::string::npos);  // refused before the long work
  auto codec = run_tiny("bench images " + dir.path().string() + " --codecs mpeg");
  CHECK(codec.exit_code == 2);
  CHECK(codec.err.find("unknown codec 'mpeg'") != std::string::npos);
  auto empty = run_tiny("bench images " + dir.file("nothing"));
  CHECK(empty.exit_code == 1);
  auto missing = run_tiny("bench kodak --data " + dir.file("nothing") + " --quick");
  CHECK(missing.exit_code == 1);
  write_file_atomic(dir.file("bad.json"), std::string("{\"name\":\"x\",\"results\":{}}"), false);
  auto badcmp = run_tiny("bench images " + dir.path().string() + " --compare " + dir.file("bad.json"));
  CHECK(badcmp.exit_code == 2);
  CHECK(badcmp.err.find("bad.json") != std::string::npos);
}

TEST_CASE("tiny bench images measures learned models given with --models as tiny-<arch>") {
  test::TempDir dir, models;
  write_set(dir);
  for (int quality : {1, 2})
    codec::Codec::untrained({"mbt2018-mean", quality, 8, 12, quality == 1 ? 0.0018 : 0.0035}, uint64_t(quality))
        .save(models.file("q" + std::to_string(quality) + ".tmodel"), false, false);
  std::string base = "bench images " + dir.path().string() + " --quick --json --codecs jpeg420,tiny-mbt2018-mean ";
  auto r = run_tiny(base + "--models " + models.file("q2.tmodel") + "," + models.file("q1.tmodel"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  REQUIRE(j["codecs"].size() == 2);
  const Json& learned = j["codecs"][1];
  CHECK(learned["codec"] == "tiny-mbt2018-mean");
  REQUIRE(learned["points"].size() == 2);
  CHECK(learned["points"][0]["setting"] == 1);
  CHECK(learned["points"][0]["setting_unit"] == "quality");
  for (const Json& p : learned["points"]) {
    CHECK(p["images_ok"] == 2);
    CHECK(p["mean"]["bpp"].get<double>() > 0);
    // The payload leaves out the .tic header; a JPEG file is all payload.
    CHECK(p["mean"]["payload_bpp"].get<double>() > 0);
    CHECK(p["mean"]["payload_bpp"].get<double>() < p["mean"]["bpp"].get<double>());
  }
  const Json& jpeg = j["codecs"][0]["points"][0]["mean"];
  CHECK(jpeg["payload_bpp"] == jpeg["bpp"]);
  REQUIRE(j["bd"].size() == 1);
  CHECK(j["bd"][0]["name"] == "tiny-mbt2018-mean");

  auto payload = run_tiny(base + "--rate payload --models " + models.file("q1.tmodel"));
  REQUIRE(payload.exit_code == 0);
  Json jp = parse_json(payload.out, "stdout");
  const Json& curve = jp["curves"][1];
  REQUIRE(curve["name"] == "tiny-mbt2018-mean");
  CHECK(curve["results"]["bpp"][0] == jp["codecs"][1]["points"][0]["mean"]["payload_bpp"]);

  auto twice = run_tiny(base + "--models " + models.file("q1.tmodel") + "," + models.file("q1.tmodel"));
  CHECK(twice.exit_code != 0);
  CHECK(twice.err.find("two models at quality 1") != std::string::npos);
}

TEST_CASE("tiny bench clic and tecnick: named sets from --data or $TINY_DATA, a clear error when absent") {
  test::TempDir dir;
  write_set(dir);
  auto r = run_tiny("bench clic --data " + dir.path().string() + " --quick --json --codecs jpeg420 --learned none");
  REQUIRE(r.exit_code == 0);
  CHECK(parse_json(r.out, "stdout")["images"] == 2);
  auto missing = run_tiny("bench tecnick --quick");  // no machine here holds a tecnick set
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("'tecnick'") != std::string::npos);
}
