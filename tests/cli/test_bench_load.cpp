#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace tiny;
using test::run_tiny;

TEST_CASE("tiny bench load measures tiny against its baselines on generated photos") {
  test::TempDir dir;
  for (int i = 0; i < 4; ++i)
    image::write_image(dir.file("p" + std::to_string(i) + ".jpg"), test::make_test_image(160, 120, i + 1), false);
  auto r = run_tiny("bench load --quick --json --python /nonexistent/python3 --photos " + dir.path().string());
  REQUIRE(r.exit_code == 0);
  Json rows = parse_json(r.out, "stdout")["results"];
  std::set<std::string> seen;
  for (const auto& row : rows) {
    seen.insert(row["set"].get<std::string>() + " " + row["method"].get<std::string>());
    CHECK(row["images_per_s"].get<double>() > 0);
    CHECK(row["ratio"].get<double>() > 0);
    CHECK(row["cores_used"].get<double>() > 0);
  }
  for (const char* s : {"4000x3000 tiny", "4000x3000 opencv", "4000x3000 tiny batch", "768x512 tiny",
                        "768x512 opencv", "768x512 tiny batch"})
    CHECK(seen.count(s) == 1);
  CHECK(seen.count("768x512 pillow") == 0);  // no such interpreter: skipped with a message
  CHECK(r.err.find("skipping the Pillow baseline") != std::string::npos);
}

TEST_CASE("tiny bench load fails clearly without photos") {
  test::TempDir dir;
  auto r = run_tiny("bench load --quick --photos " + dir.file("none"));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("none: no such folder of photos") != std::string::npos);
  auto empty = run_tiny("bench load --quick --photos " + dir.path().string());
  CHECK(empty.exit_code != 0);
  CHECK(empty.err.find("needs 4 JPEG photos, found 0") != std::string::npos);
}
