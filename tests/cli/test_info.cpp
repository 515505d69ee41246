#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "../image/image_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace tiny;
using test::run_tiny;

TEST_CASE("tiny info describes images as a table and as JSON") {
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::make_test_image(40, 30), false);
  image::write_image(dir.file("b.jpg"), test::make_test_image(16, 8), false);
  auto table = run_tiny("info " + dir.file("a.png") + " " + dir.file("b.jpg"));
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("40x30") != std::string::npos);
  CHECK(table.out.find("jpeg") != std::string::npos);
  auto json = run_tiny("info --json " + dir.file("a.png"));
  REQUIRE(json.exit_code == 0);
  Json j = parse_json(json.out, "stdout")["files"];
  CHECK(j[0]["format"] == "png");
  CHECK(j[0]["width"] == 40);
  CHECK(j[0]["channels"] == 3);
  CHECK(j[0]["bit_depth"] == 8);
}

TEST_CASE("tiny info reports a bad file on one line, goes on, and exits 1") {
  test::TempDir dir;
  image::write_image(dir.file("ok.png"), test::make_test_image(8, 8), false);
  write_file_atomic(dir.file("bomb.png"), test::png_header(100000, 100000), false);
  write_file_atomic(dir.file("junk.png"), std::string_view("not an image"), false);
  auto r = run_tiny("info --json " + dir.file("missing.png") + " " + dir.file("junk.png") + " " + dir.file("ok.png") +
                    " " + dir.file("bomb.png"));
  CHECK(r.exit_code == 1);
  Json j = parse_json(r.out, "stdout")["files"];
  REQUIRE(j.size() == 4);
  CHECK(j[0].contains("error"));
  CHECK(j[1].contains("error"));
  CHECK(j[2]["width"] == 8);
  CHECK(j[3]["width"] == 100000);  // probing a bomb is harmless: nothing is decoded
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);
}

TEST_CASE("tiny info on the Kodak set: 24 images, 768x512, six of them portrait") {
  auto data = test::shared_data();
  if (!data || !std::filesystem::is_directory(*data / "kodak")) {
    MESSAGE("skipped: shared data folder with kodak/ not found");
    return;
  }
  std::string args = "info --json";
  for (int i = 1; i <= 24; ++i) args += " " + (*data / "kodak" / fmt::format("kodim{:02}.png", i)).string();
  auto r = run_tiny(args);
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  REQUIRE(j.size() == 24);
  int portrait = 0;
  for (const auto& e : j) {
    bool landscape = e["width"] == 768 && e["height"] == 512;
    bool upright = e["width"] == 512 && e["height"] == 768;
    CHECK((landscape || upright));
    portrait += upright;
  }
  CHECK(portrait == 6);
}
