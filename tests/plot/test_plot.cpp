// Plots drawn with cairo: axes and ticks, series styles, SVG and PNG of the same drawing.
#include "core/error.hpp"
#include "image/decode.hpp"
#include "plot/axis.hpp"
#include "plot/plot.hpp"
#include "plot/style.hpp"
#include "plot/text.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <tuple>

using namespace tiny;
using namespace tiny::plot;

namespace {

LinePlot sample_plot(size_t series, const std::string& name = "series") {
  LinePlot p;
  p.title = "a title";
  p.x_label = "bits per pixel";
  p.y_label = "PSNR (dB)";
  p.x = {0, 1.5};
  for (size_t k = 0; k < series; ++k)
    p.series.push_back({name + std::to_string(k), {0.1, 0.5, 1.0, 2.0}, {26.0 + k, 30.0 + k, 34.0 + k, 38.0 + k}, true, k % 2 == 1});
  return p;
}

// The width and height attributes of cairo's SVG (in px).
std::pair<double, double> svg_size(const std::string& svg) {
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex(R"re(<svg[^>]*width="([0-9.]+)(px)?"[^>]*height="([0-9.]+)(px)?")re")));
  return {std::stod(m[1]), std::stod(m[3])};
}

// The rightmost column of the picture holding a pixel that is not white.
int rightmost_ink(const image::Image& img) {
  int right = -1;
  for (int y = 0; y < img.height; ++y)
    for (int x = img.width - 1; x > right; --x)
      if (img.at(x, y)[0] < 250 || img.at(x, y)[1] < 250 || img.at(x, y)[2] < 250) right = x;
  return right;
}

}  // namespace

TEST_CASE("axes: round ticks, given ends kept, no -0 labels") {
  Axis rd = fit_axis(0, 1.5, 0.1, 2.0, 0);
  CHECK(rd.lo == 0);
  CHECK(rd.hi == 1.5);
  CHECK(rd.step == doctest::Approx(0.25));
  CHECK(rd.ticks().size() == 7);
  CHECK(rd.label(rd.ticks()[3]) == "0.75");

  Axis around_zero = fit_axis(NAN, NAN, -0.3, 0.3, 0);
  std::vector<std::string> labels;
  for (double t : around_zero.ticks()) labels.push_back(around_zero.label(t));
  CHECK(labels == std::vector<std::string>{"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"});

  Axis steps = fit_axis(0, NAN, 1, 123456, 0);
  CHECK(steps.hi == 140000);
  CHECK(steps.label(steps.ticks()[1]) == "20000");

  Axis lr = fit_axis(NAN, NAN, 1e-5, 1e-4, 0.03);
  CHECK(lr.lo == 0);
  CHECK(lr.label(lr.ticks()[1]) == "2e-05");
  CHECK(lr.label(lr.ticks()[5]) == "10e-05");  // one exponent along the axis, not 8e-05 then 0.0001

  Axis psnr = fit_axis(NAN, NAN, 26.2, 39.5, 0.03);
  CHECK(psnr.step == 2);
  CHECK(psnr.lo == 24);
  CHECK(psnr.hi == 40);
  CHECK(Axis{0, 1, 0.25}.label(0.75) == "0.75");

  Axis flat = fit_axis(NAN, NAN, 5, 5, 0);
  CHECK(flat.lo < 5);
  CHECK(flat.hi > 5);
}

TEST_CASE("every series has its own colour and marker, for any count") {
  std::set<std::tuple<long, long, long>> colors;
  std::set<std::tuple<long, long, long, int>> styles;
  for (size_t k = 0; k < 300; ++k) {
    const Rgb c = series_color(k);
    CHECK(c.r >= 0);
    CHECK(c.b <= 1);
    colors.insert({std::lround(c.r * 1000), std::lround(c.g * 1000), std::lround(c.b * 1000)});
    styles.insert({std::lround(c.r * 1000), std::lround(c.g * 1000), std::lround(c.b * 1000), int(series_marker(k))});
  }
  CHECK(colors.size() == 300);
  CHECK(styles.size() == 300);
  CHECK(series_marker(0) != series_marker(1));
}

TEST_CASE("SVG and PNG are the same drawing: PNG at twice the SVG's size, white, with ink inside its edges") {
  const LinePlot p = sample_plot(12);
  const std::string svg = render_svg(p);
  CHECK(svg.find("<svg") != std::string::npos);
  const auto [w, h] = svg_size(svg);
  const Bytes png = render_png(p);
  const image::Image img = image::decode_image(png, "plot.png");
  CHECK(img.width == int(std::ceil(w * 2)));
  CHECK(img.height == int(std::ceil(h * 2)));
  CHECK(img.at(0, 0)[0] == 255);
  // Every series' colour appears in the picture.
  for (size_t k = 0; k < p.series.size(); ++k) {
    const Rgb c = series_color(k);
    bool found = false;
    for (int y = 0; y < img.height && !found; ++y)
      for (int x = 0; x < img.width && !found; ++x)
        found = std::abs(img.at(x, y)[0] - c.r * 255) < 2 && std::abs(img.at(x, y)[1] - c.g * 255) < 2 &&
                std::abs(img.at(x, y)[2] - c.b * 255) < 2;
    CAPTURE(k);
    CHECK(found);
  }
  // Rendering is deterministic.
  CHECK(render_svg(p) == svg);
  CHECK(render_png(p) == png);
}

TEST_CASE("the legend grows the picture so long names are never cut off") {
  const image::Image short_names = image::decode_image(render_png(sample_plot(3, "a")), "short.png");
  const image::Image long_names =
      image::decode_image(render_png(sample_plot(3, "tiny-mbt2018-mean-int8 measured on a long name ")), "long.png");
  CHECK(long_names.width > short_names.width + 300);
  for (const image::Image* img : {&short_names, &long_names}) {
    const int right = rightmost_ink(*img);
    CHECK(right > img->width - 60);  // the legend text reaches near the right edge…
    CHECK(right < img->width - 8);   // …and stops inside it
  }
  // Many series: the picture grows taller so every legend row fits.
  const image::Image many = image::decode_image(render_png(sample_plot(40)), "many.png");
  CHECK(many.height > short_names.height + 200);
}

TEST_CASE("a plot without a finite point is an error naming it") {
  LinePlot p;
  p.title = "empty one";
  p.series.push_back({"s", {1, 2}, {NAN, INFINITY}});
  CHECK_THROWS_WITH_AS(render_svg(p), doctest::Contains("empty one"), Error);
  CHECK_THROWS_AS(render_png(p), Error);
}

TEST_CASE("bars fill from the bottom of the plot up to each point, in the series' colour") {
  LinePlot p;
  p.y.lo = 0;
  p.x = {-0.5, 4.5};
  p.series.push_back({"counts", {0, 1, 2, 3, 4}, {1, 4, 2, 0, 8}});
  p.series[0].bars = true;
  const image::Image img = image::decode_image(render_png(p), "bars.png");
  const Rgb c = series_color(0);
  // Runs of columns holding the bar colour: the four bars that are not zero, then the legend's square.
  auto is_bar = [&](int x, int y) {
    return std::abs(img.at(x, y)[0] - c.r * 255) < 2 && std::abs(img.at(x, y)[1] - c.g * 255) < 2 && std::abs(img.at(x, y)[2] - c.b * 255) < 2;
  };
  std::vector<int> heights;
  bool inside = false;
  for (int x = 0; x < img.width; ++x) {
    int h = 0;
    for (int y = 0; y < img.height; ++y) h += is_bar(x, y);
    if (h > 0 && !inside) heights.push_back(h);
    inside = h > 0;
  }
  REQUIRE(heights.size() == 5);
  CHECK(heights[4] == doctest::Approx(24).epsilon(0.1));
  CHECK(heights[1] == doctest::Approx(4 * heights[0]).epsilon(0.05));
  CHECK(heights[3] == doctest::Approx(8 * heights[0]).epsilon(0.05));
}

TEST_CASE("text lines are drawn onto RGB pixels, long ones shortened from the front to fit") {
  const int w = 120, h = 40;
  std::vector<uint8_t> rgb(size_t(w) * h * 3, 255);
  draw_text(rgb.data(), w, h, {{10, 4, 60, {{"KEPT", {0, 0.5, 0}}, {"a_very_long_file_name_indeed.png", {}}}}}, 11, 14);
  int green = 0, right = -1, bottom = -1;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = &rgb[3 * (size_t(y) * w + x)];
      if (p[0] == 255 && p[1] == 255 && p[2] == 255) continue;
      green += y < 18 && p[1] > p[0] + 40;
      right = std::max(right, x), bottom = std::max(bottom, y);
    }
  CHECK(green > 10);      // the first line in its colour
  CHECK(bottom > 18);     // the second line below it
  CHECK(right <= 10 + 60);  // shortened to the width
  CHECK(right > 10 + 40);
}
