// A variable-rate model exported at one quality as an ordinary mbt2018-mean codes like the original.
#include "codec/codec.hpp"
#include "convert/convert.hpp"
#include "core/error.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

using namespace tiny;

TEST_CASE("a variable-rate model at a fixed quality becomes an mbt2018-mean that codes the same image") {
  test::TempDir dir;
  codec::Codec vr = codec::Codec::untrained({"mbt2018-mean-vr", codec::kVariableRateLevels, 8, 12, 0.0}, 4);
  vr.save(dir.file("vr.tmodel"), false, false);
  const image::Image img = test::make_test_image(96, 64, 3);
  for (double q : {0.0, 2.0, 4.5}) {
    CAPTURE(q);
    convert::ConvertOptions o;
    o.input = dir.file("vr.tmodel");
    o.output = dir.file(fmt::format("q{}.tmodel", q));
    o.at_quality = q;
    const nlohmann::json report = convert::convert_file(o);
    CHECK(report["arch"] == "mbt2018-mean");
    codec::Codec fixed = codec::Codec::from_file(o.output);
    CHECK(fixed.info().arch == "mbt2018-mean");
    CHECK(fixed.info().quality == std::max(1, int(std::lround(q))));
    vr.set_quality(q);
    image::Image vr_recon, fixed_recon;
    const Bytes a = vr.compress(img, &vr_recon), b = fixed.compress(img, &fixed_recon);
    // the gains now sit inside the weights: the same coding up to float rounding
    CHECK(std::abs(double(a.size()) - double(b.size())) <= 0.02 * double(a.size()) + 8);
    CHECK(image::psnr(vr_recon, fixed_recon) > 40.0);
  }
  convert::ConvertOptions out_of_range;
  out_of_range.input = dir.file("vr.tmodel");
  out_of_range.output = dir.file("bad.tmodel");
  out_of_range.at_quality = 7;
  CHECK_THROWS_WITH_AS(convert::convert_file(out_of_range), doctest::Contains("outside the model's 0..6"), UsageError);
  codec::Codec::untrained({"mbt2018-mean", 3, 8, 12, 0.0067}, 1).save(dir.file("fixed.tmodel"), false, false);
  out_of_range.input = dir.file("fixed.tmodel");
  out_of_range.at_quality = 3;
  CHECK_THROWS_WITH_AS(convert::convert_file(out_of_range), doctest::Contains("fixed-rate"), UsageError);
}
