#include "bench/codec.hpp"
#include "bench/run.hpp"
#include "codec/codec.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "image/encode.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny::bench;

TEST_CASE("every classical codec round-trips and its points are monotone in quality and sane") {
  tiny::image::Image img = tiny::test::make_test_image(192, 176, 3);
  for (const auto& codec : classical_codecs()) {
    CAPTURE(codec->name());
    std::vector<double> q = codec->qualities(true);
    REQUIRE(q.size() == 4);
    CHECK(codec->qualities(false).size() == 8);
    double last_bpp = 0, last_psnr = 0;
    for (double quality : q) {
      CAPTURE(quality);
      tiny::Bytes data = codec->encode(img, quality);
      tiny::image::Image out = codec->decode(data);
      REQUIRE(out.width == img.width);
      REQUIRE(out.height == img.height);
      double bpp = data.size() * 8.0 / (img.width * img.height);
      double psnr = tiny::image::psnr(img, out);
      CHECK(bpp > 0.01);
      CHECK(bpp < 24);
      CHECK(psnr > 15);
      CHECK(psnr < 60);
      CHECK(bpp > last_bpp);
      CHECK(psnr > last_psnr);
      last_bpp = bpp;
      last_psnr = psnr;
    }
  }
}

TEST_CASE("codec decoders reject garbage with an Error") {
  tiny::Bytes junk(100, 0x5a);
  for (const auto& codec : classical_codecs()) {
    CAPTURE(codec->name());
    CHECK_THROWS_AS(codec->decode(junk), tiny::Error);
  }
}

TEST_CASE("select_codecs keeps the named codecs in order and rejects unknown names") {
  auto picked = select_codecs(classical_codecs(), {"webp", "jpeg420"});
  REQUIRE(picked.size() == 2);
  CHECK(picked[0]->name() == "webp");
  CHECK(picked[1]->name() == "jpeg420");
  CHECK_THROWS_AS(select_codecs(classical_codecs(), {"mpeg"}), tiny::UsageError);
  CHECK(subsample_points({1, 2, 3, 4, 5, 6, 7, 8}, 4) == std::vector<double>{1, 3, 5, 8});
}

TEST_CASE("run_bench measures every image, skips and counts a corrupt one, and is deterministic in size") {
  tiny::test::TempDir dir;
  tiny::image::write_image(dir.file("a.png"), tiny::test::make_test_image(176, 176, 1), false);
  tiny::image::write_image(dir.file("b.png"), tiny::test::make_test_image(192, 168, 2), false);
  tiny::write_file_atomic(dir.file("c.png"), std::string("\x89PNG\r\n\x1a\n garbage"), false);
  std::vector<std::string> files = list_images(dir.path().string());
  REQUIRE(files.size() == 3);
  auto codecs = select_codecs(classical_codecs(), {"jpeg420", "webp"});
  BenchResult r = run_bench(files, codecs, true);
  CHECK(r.skipped_images == 1);
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0].find("c.png") != std::string::npos);
  REQUIRE(r.codecs.size() == 2);
  for (const auto& cr : r.codecs)
    for (const auto& p : cr.points) {
      CHECK(p.count == 2);
      CHECK(p.mean.bpp > 0);
      CHECK(p.mean.ms_ssim > 0.5);
      CHECK(p.mean.ms_ssim <= 1);
    }
  BenchResult again = run_bench(files, codecs, true);
  CHECK(again.codecs[0].points[1].mean.bytes == r.codecs[0].points[1].mean.bytes);
  Curve c = to_curve(r.codecs[1], "webp");
  CHECK(c.bpp.size() == 4);
  CHECK(c.bpp[0] < c.bpp[3]);
}

TEST_CASE("list_images names a folder without images") {
  tiny::test::TempDir dir;
  CHECK_THROWS_WITH_AS(list_images(dir.path().string()), doctest::Contains("no images"), tiny::Error);
  CHECK_THROWS_AS(list_images(dir.file("missing")), tiny::Error);
}

TEST_CASE("a variable-rate model is one learned codec swept over 8 real qualities, coded as tiny compress codes") {
  tiny::test::TempDir dir;
  const std::string path = dir.file("vr.tmodel");
  tiny::codec::Codec model =
      tiny::codec::Codec::untrained({"mbt2018-mean-vr", tiny::codec::kVariableRateLevels, 8, 12, 0.0130}, 3);
  model.save(path, false, false);
  auto codec = make_learned_codec("tiny-mbt2018-mean-vr", {path});
  const std::vector<double> points = codec->qualities(false);
  REQUIRE(points.size() == 8);
  CHECK(points.front() == 0);
  CHECK(points[1] == doctest::Approx(0.857));
  CHECK(points.back() == tiny::codec::kVariableRateLevels - 1);
  CHECK(codec->qualities(true).size() == 4);

  tiny::image::Image img = tiny::test::make_test_image(96, 80, 3);
  tiny::Bytes data = codec->encode(img, points[1]);
  tiny::codec::Codec reference = tiny::codec::Codec::from_file(path);
  reference.set_quality(points[1]);
  CHECK(data == reference.compress(img));
  tiny::image::Image out = codec->decode(data);
  CHECK(out.pixels == reference.decompress(data, "vr").pixels);

  CHECK_THROWS_AS(make_learned_codec("two", {path, path}), tiny::Error);
}
