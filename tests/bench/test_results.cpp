#include "bench/results.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny::bench;

TEST_CASE("CompressAI results JSON round trip") {
  Curve c{"webp", "WebP via libwebp", {0.2, 0.5, 1.0}, {28.1, 31.5, 35.2}, {0.91, 0.95, 0.98}, {0.01, 0.02, 0.03},
          {0.004, 0.005, 0.006}};
  tiny::Json j = curve_to_json(c);
  CHECK(j["results"]["psnr-rgb"][1] == 31.5);
  tiny::test::TempDir dir;
  tiny::write_file_atomic(dir.file("webp.json"), j.dump(2), false);
  Curve back = read_curve_file(dir.file("webp.json"));
  CHECK(back.name == c.name);
  CHECK(back.description == c.description);
  CHECK(back.bpp == c.bpp);
  CHECK(back.psnr == c.psnr);
  CHECK(back.ms_ssim == c.ms_ssim);
  CHECK(back.encoding_time == c.encoding_time);
  CHECK(back.decoding_time == c.decoding_time);
}

TEST_CASE("CompressAI results JSON: optional arrays may be absent, bad content is named") {
  Curve only = curve_from_json(tiny::parse_json(R"({"name":"x","results":{"bpp":[0.1,1],"psnr-rgb":[27,40]}})", "t"), "t");
  CHECK(only.ms_ssim.empty());
  CHECK(only.psnr.size() == 2);
  auto bad = [](const char* text) { return curve_from_json(tiny::parse_json(text, "f.json"), "f.json"); };
  CHECK_THROWS_WITH_AS(bad(R"({"name":"x","results":{"bpp":[0.1],"psnr-rgb":[27,40]}})"),
                       doctest::Contains("f.json: results.psnr-rgb has 2 entries"), tiny::UsageError);
  CHECK_THROWS_AS(bad(R"({"name":"x","results":{"bpp":[0.1]}})"), tiny::UsageError);
  CHECK_THROWS_AS(bad(R"({"name":"x","results":{"bpp":["a"],"psnr-rgb":[1]}})"), tiny::UsageError);
  CHECK_THROWS_AS(bad(R"({"name":"x","extra":1,"results":{"bpp":[1],"psnr-rgb":[1]}})"), tiny::UsageError);
  CHECK_THROWS_AS(bad(R"([1,2])"), tiny::UsageError);
}

TEST_CASE("the published curves in configs/bench load") {
  std::vector<Curve> curves = read_curve_folder(std::string(TINY_SOURCE_DIR) + "/configs/bench/compressai-kodak");
  REQUIRE(curves.size() == 4);
  for (const Curve& c : curves) {
    CHECK(c.bpp.size() == 2);
    CHECK(c.bpp[0] < c.bpp[1]);
    CHECK(c.psnr[0] < c.psnr[1]);
  }
}
