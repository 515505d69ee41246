// Scorer preprocessing: sizes, channel order, range, mean/std, and option checks.
#include "core/error.hpp"
#include "image/encode.hpp"
#include "scorer/preprocess.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tiny;
using namespace tiny::scorer;

namespace {

Bytes solid_png(int width, int height) {
  image::Image img = image::Image::blank(width, height);
  for (size_t i = 0; i < img.pixels.size(); i += 3) {
    img.pixels[i] = 200;
    img.pixels[i + 1] = 100;
    img.pixels[i + 2] = 50;
  }
  return image::encode_image(img, image::Format::png);
}

std::vector<float> run(const ScorerOptions& o, const Bytes& bytes) {
  Preprocess p = make_preprocess(o);
  std::vector<float> out(size_t(3 * o.size * o.size), -1.f);
  preprocess(bytes, "solid.png", p, out.data());
  return out;
}

}  // namespace

TEST_CASE("scorer preprocessing: range, mean/std and channel order, in both resize modes") {
  ScorerOptions o;
  o.size = 8;
  for (const char* resize : {"center-crop", "stretch"}) {
    o.resize = resize;
    std::vector<float> rgb = run(o, solid_png(40, 20));
    CHECK(rgb[0] == doctest::Approx(200 / 255.0));
    CHECK(rgb[64] == doctest::Approx(100 / 255.0));
    CHECK(rgb[191] == doctest::Approx(50 / 255.0));
  }
  o.channels = "bgr";
  o.range = 255;
  o.mean = {50, 100, 200};
  o.std = {2};
  std::vector<float> bgr = run(o, solid_png(20, 40));
  CHECK(std::all_of(bgr.begin(), bgr.end(), [](float v) { return std::abs(v) < 1e-3f; }));
  CHECK_THROWS_WITH_AS(run(o, Bytes(100, 7)), doctest::Contains("solid.png"), Error);
}

TEST_CASE("scorer preprocessing: inconsistent options are usage errors naming the value") {
  auto fails = [](auto change, const char* text) {
    ScorerOptions o;
    change(o);
    CHECK_THROWS_WITH_AS(make_preprocess(o), doctest::Contains(text), UsageError);
  };
  fails([](ScorerOptions& o) { o.resize = "fit"; }, "'fit'");
  fails([](ScorerOptions& o) { o.channels = "rgba"; }, "'rgba'");
  fails([](ScorerOptions& o) { o.mean = {0.5, 0.5}; }, "got 2");
  fails([](ScorerOptions& o) { o.std = {1, 0, 1}; }, "std values must be positive");
  fails([](ScorerOptions& o) { o.size = 0; }, "size must be positive");
  fails([](ScorerOptions& o) { o.batch = 0; }, "batch must be positive");
  fails([](ScorerOptions& o) { o.range = 0; }, "range must be positive");
}
