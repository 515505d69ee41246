// Plots written as SVG and drawn from that SVG to PNG: axes and ticks, series styles, legend, bars, captions.
#include "core/error.hpp"
#include "image/decode.hpp"
#include "plot/plot.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <set>

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

// Every match of group 1 of `pattern` in `text`, in order.
std::vector<std::string> all(const std::string& text, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
  return out;
}

// The tick labels of a plot without title and axis labels: x ticks are centred, y ticks end at the axis.
std::vector<std::string> x_labels(const LinePlot& p) { return all(render_svg(p), "text-anchor=\"middle\">([^<]+)</text>"); }
std::vector<std::string> y_labels(const LinePlot& p) { return all(render_svg(p), "text-anchor=\"end\">([^<]+)</text>"); }

LinePlot points(std::vector<double> x, std::vector<double> y, Range rx = {}, Range ry = {}) {
  LinePlot p;
  p.series.push_back({"s", std::move(x), std::move(y)});
  p.x = rx, p.y = ry;
  return p;
}

// The series' colours in the order they are first drawn (markers and legend), each "#rrggbb".
std::vector<std::string> colours(const std::string& svg) {
  std::vector<std::string> out;
  for (const std::string& c : all(svg, "<use [^>]*stroke=\"(#[0-9a-f]{6})\""))
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

bool has_colour(const image::Image& img, const std::string& hex, int x0 = 0, int x1 = -1) {
  const unsigned c = std::stoul(hex.substr(1), nullptr, 16);
  for (int y = 0; y < img.height; ++y)
    for (int x = x0; x < (x1 < 0 ? img.width : x1); ++x)
      if (std::abs(img.at(x, y)[0] - int(c >> 16)) < 2 && std::abs(img.at(x, y)[1] - int(c >> 8 & 0xff)) < 2 &&
          std::abs(img.at(x, y)[2] - int(c & 0xff)) < 2)
        return true;
  return false;
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

TEST_CASE("axes: round ticks, given ends kept, no -0 labels, one exponent for tiny steps") {
  using V = std::vector<std::string>;
  CHECK(x_labels(points({0.1, 2.0}, {1, 2}, {0, 1.5})) == V{"0", "0.25", "0.5", "0.75", "1", "1.25", "1.5"});
  CHECK(x_labels(points({-0.3, 0.3}, {1, 2})) == V{"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"});
  const V steps = x_labels(points({1, 123456}, {1, 2}, {0, NAN}));
  CHECK(steps.back() == "140000");
  CHECK(steps[1] == "20000");
  const V lr = y_labels(points({0, 1}, {1e-5, 1e-4}));
  CHECK(lr[0] == "0");
  CHECK(lr[1] == "2e-05");
  CHECK(lr[5] == "10e-05");  // one exponent along the axis, not 8e-05 then 0.0001
  CHECK(y_labels(points({0, 1}, {26.2, 39.5})) == V{"24", "26", "28", "30", "32", "34", "36", "38", "40"});
  CHECK(y_labels(points({0, 1}, {0.6, 0.9})) == V{"0.55", "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9", "0.95"});
  const V flat = y_labels(points({0, 1}, {5, 5}));
  REQUIRE(flat.size() >= 2);
  CHECK(std::stod(flat.front()) < 5);
  CHECK(std::stod(flat.back()) > 5);
}

TEST_CASE("every series has its own colour and marker, for any count") {
  const std::string svg = render_svg(sample_plot(300));
  std::set<std::string> distinct;  // marker and colour
  for (const std::string& s : all(svg, "<use xlink:href=\"(#m[0-9]\"[^>]*stroke=\"#[0-9a-f]{6})\""))
    distinct.insert(s.substr(0, 3) + s.substr(s.size() - 7));
  CHECK(distinct.size() == 300);
  CHECK(colours(svg).size() >= 290);  // 8-bit colours: a few hues 233 series apart round alike, their markers differ
  CHECK(all(svg, "xlink:href=\"(#m[0-9])\"")[0] != all(svg, "xlink:href=\"(#m[0-9])\"")[5]);  // series 0 and 1
}

TEST_CASE("SVG and PNG are the same drawing: PNG at twice the SVG's size, white, every series' colour") {
  const LinePlot p = sample_plot(12);
  const std::string svg = render_svg(p);
  const auto size = all(svg, "<svg [^>]*width=\"([0-9.]+)\"");
  REQUIRE(size.size() == 1);
  const Bytes png = render_png(p);
  const image::Image img = image::decode_image(png, "plot.png");
  CHECK(img.width == int(2 * std::stod(size[0])));
  CHECK(img.height == int(2 * std::stod(all(svg, "<svg [^>]*height=\"([0-9.]+)\"")[0])));
  CHECK(img.at(0, 0)[0] == 255);
  const std::vector<std::string> c = colours(svg);
  REQUIRE(c.size() == 12);
  for (const std::string& hex : c) {
    CAPTURE(hex);
    CHECK(has_colour(img, hex));
  }
  CHECK(all(svg, "(stroke-dasharray)").size() == 12);  // six dashed series: their lines and legend lines
  CHECK(render_svg(p) == svg);  // deterministic
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

TEST_CASE("names that are not valid XML text are drawn escaped") {
  LinePlot p = sample_plot(2, "a<b & \"c\" \x01 \xff ");
  p.title = "<title> & more";
  const std::string svg = render_svg(p);
  CHECK(svg.find("a&lt;b &amp; &quot;c&quot;") != std::string::npos);
  CHECK(image::decode_image(render_png(p), "escaped.png").width > 600);
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
  const std::string svg = render_svg(p);
  const image::Image img = image::decode_image(render_png(p), "bars.png");
  const std::vector<std::string> fill = all(svg, "<rect [^>]*fill=\"(#[0-9a-f]{6})\"");
  REQUIRE(fill.size() >= 2);
  const unsigned c = std::stoul(fill[1].substr(1), nullptr, 16);  // the first is the white background
  // Runs of columns holding the bar colour: the four bars that are not zero, then the legend's square.
  auto is_bar = [&](int x, int y) {
    return std::abs(img.at(x, y)[0] - int(c >> 16)) < 2 && std::abs(img.at(x, y)[1] - int(c >> 8 & 0xff)) < 2 &&
           std::abs(img.at(x, y)[2] - int(c & 0xff)) < 2;
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
  const int w = 120, h = 58;
  std::vector<uint8_t> rgb(size_t(w) * h * 3, 255);
  draw_text(rgb.data(), w, h, {{10, 4, 60, {{"KEPT", 0x008000}, {"a_very_long_file_name_indeed.png", 0}, {"ééééééééééééé.png", 0}}}}, 11, 14);
  int green = 0, right = -1, bottom = -1;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = &rgb[3 * (size_t(y) * w + x)];
      if (p[0] == 255 && p[1] == 255 && p[2] == 255) continue;
      green += y < 18 && p[1] > p[0] + 40;
      right = std::max(right, x), bottom = std::max(bottom, y);
    }
  CHECK(green > 10);        // the first line in its colour
  CHECK(bottom > 32);       // the third line below the others
  CHECK(right <= 10 + 60);  // shortened to the width
  CHECK(right > 10 + 40);
}
