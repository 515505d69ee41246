// Crop-robust views: hashes, exact pair search (batch and streaming) and the tail fit.
#include "bench/dataset_bench.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "dataset/near_dup_index.hpp"
#include "dataset/tail_fit.hpp"
#include "dataset/view_hash.hpp"
#include "dataset/view_pairs.hpp"
#include "dataset/view_stream.hpp"
#include "dataset_fixtures.hpp"

#include <doctest/doctest.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace tiny;
using namespace tiny::dataset;

namespace {

image::Image crop(const image::Image& img, int x0, int y0, int x1, int y1) {
  image::Image out = image::Image::blank(x1 - x0, y1 - y0);
  for (int y = y0; y < y1; ++y) std::copy(img.at(x0, y), img.at(x1, y), out.at(0, y - y0));
  return out;
}

// A picture of 6 x 5 blocks of random colours with some noise.
image::Image colour_blocks(int width, int height, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(20, 235), noise(-10, 10);
  int colour[5][6][3];
  for (auto& row : colour)
    for (auto& block : row)
      for (int& c : block) c = level(rng);
  image::Image img = image::Image::blank(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        img.at(x, y)[c] = uint8_t(std::clamp(colour[y * 5 / height][x * 6 / width][c] + noise(rng), 0, 255));
  return img;
}

// Each channel v becomes gain * v + offset (clamped).
image::Image adjust(image::Image img, double gain, double offset) {
  for (uint8_t& v : img.pixels) v = uint8_t(std::clamp(std::lround(gain * v + offset), 0L, 255L));
  return img;
}

image::Image rotate(const image::Image& img, double degrees) {
  cv::Mat in(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data())), out;
  cv::warpAffine(in, out, cv::getRotationMatrix2D(cv::Point2f(img.width / 2.f, img.height / 2.f), degrees, 1.0), in.size(),
                 cv::INTER_LINEAR, cv::BORDER_REFLECT);
  image::Image r = image::Image::blank(img.width, img.height);
  std::copy(out.data, out.data + r.pixels.size(), r.pixels.data());
  return r;
}

image::Image half_size(const image::Image& img) {
  cv::Mat in(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data())), out;
  cv::resize(in, out, cv::Size(img.width / 2, img.height / 2), 0, 0, cv::INTER_AREA);
  image::Image r = image::Image::blank(out.cols, out.rows);
  std::copy(out.data, out.data + r.pixels.size(), r.pixels.data());
  return r;
}

image::Image mirror(const image::Image& img) {
  image::Image out = image::Image::blank(img.width, img.height);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) std::copy(img.at(x, y), img.at(x, y) + 3, out.at(img.width - 1 - x, y));
  return out;
}

}  // namespace

TEST_CASE("views: a cropped copy matches through a window, an unrelated picture does not") {
  image::Image photo = test::blocks_image(400, 300, 3), other = test::blocks_image(400, 300, 11);
  image::Image cropped = crop(photo, 40, 0, 400, 300);  // 10 % off the left edge
  const Signature sa = signature(photo, false), sb = signature(cropped, false), sc = signature(other, false);
  const std::vector<ViewHash>&a = sa.views, &b = sb.views, &c = sc.views;
  REQUIRE(a.size() == signature_size(false));
  CHECK(signature_size(false) == 32);
  CHECK(signature(photo, true).views.size() == 64);
  CHECK(match_distance(sa, signature(photo, false), 0) == 0);
  CHECK(match_distance(sa, sb, kCoarseThreshold) == match_distance(a, b, kCoarseThreshold));
  int whole_only = fine_distance(a[0], b[0]);
  int through_windows = match_distance(a, b, 64);
  CHECK(through_windows < whole_only);
  CHECK(through_windows <= kFineThreshold);
  CHECK(match_distance(a, c, 64) > kFineThreshold);
  CHECK(match_distance(a, b, 64) == match_distance(b, a, 64));
  CHECK(window_frames({{0.f, 0.1f}}).size() == 15);
  CHECK(window_frames({{0.025f, 0.075f}}).size() == 16);
  CHECK(window_frames({{0.f, 0.1f}, {0.f, 0.1f}, {0.025f, 0.075f}}).size() == 31);
}

TEST_CASE("window_dcts gives the coefficients of OpenCV's area resize and DCT, mirrored windows included") {
  std::mt19937 rng(4);
  cv::Mat luma(97, 123, CV_32F);
  cv::randu(luma, 0, 255);
  cv::GaussianBlur(luma, luma, cv::Size(5, 5), 2);
  const std::vector<PixelWindow> windows = {{0, 0, 123, 97, false}, {12, 3, 111, 90, false}, {12, 3, 111, 90, true},
                                            {0, 10, 80, 97, true}, {30, 0, 123, 70, false}};
  const auto fast = window_dcts(luma, windows, 64, 16);
  REQUIRE(fast.size() == windows.size());
  for (size_t w = 0; w < windows.size(); ++w) {
    const PixelWindow& win = windows[w];
    cv::Mat crop = luma(cv::Rect(win.x0, win.y0, win.x1 - win.x0, win.y1 - win.y0)).clone(), small, dct;
    if (win.mirror) cv::flip(crop, crop, 1);
    cv::resize(crop, small, cv::Size(64, 64), 0, 0, cv::INTER_AREA);
    cv::dct(small, dct);
    double worst = 0;
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) worst = std::max(worst, std::abs(double(dct.at<float>(y, x)) - fast[w][size_t(y * 16 + x)]));
    CAPTURE(w);
    CHECK(worst < 1e-2);
  }
  CHECK_THROWS(window_dcts(luma, {{0, 0, 124, 97, false}}, 64, 16));
}

TEST_CASE("views: the signature equals the view-by-view OpenCV signature up to rounding at the median") {
  for (unsigned seed : {3u, 8u, 13u}) {
    image::Image photo = test::blocks_image(120, 90, seed);
    std::vector<ViewHash> fast = signature(photo, false).views, slow = bench::opencv_signature(photo);
    REQUIRE(fast.size() == slow.size());
    int coarse = 0, fine = 0, equal = 0;
    for (size_t v = 0; v < fast.size(); ++v) {
      coarse = std::max(coarse, coarse_distance(fast[v], slow[v]));
      fine = std::max(fine, fine_distance(fast[v], slow[v]));
      equal += fast[v] == slow[v];
    }
    CHECK(coarse <= 2);
    CHECK(fine <= 4);
    CHECK(equal >= int(fast.size()) * 3 / 4);
  }
}

TEST_CASE("views: mirrored views find a mirrored copy only when asked") {
  image::Image photo = test::blocks_image(300, 200, 5);
  image::Image mirrored = image::Image::blank(300, 200);
  for (int y = 0; y < 200; ++y)
    for (int x = 0; x < 300; ++x) std::copy(photo.at(x, y), photo.at(x, y) + 3, mirrored.at(299 - x, y));
  CHECK(match_distance(signature(photo, false), signature(mirrored, false), kCoarseThreshold) > kFineThreshold);
  CHECK(match_distance(signature(photo, true), signature(mirrored, false), kCoarseThreshold) == 0);
}

TEST_CASE("colour check: edited copies agree with their picture, distinct pictures do not") {
  const image::Image photo = colour_blocks(400, 300, 21);
  const ColourGrid g = colour_grid(photo);
  CHECK(colour_correlation(g, g) == doctest::Approx(1.0));
  const std::vector<image::Image> copies = {adjust(photo, 1.2, 0),   adjust(photo, 0.8, 0),  adjust(photo, 1.2, -25.6),
                                            adjust(photo, 0.8, 25.6), crop(photo, 40, 0, 400, 300),
                                            crop(photo, 20, 15, 380, 285), crop(photo, 0, 0, 400, 285),
                                            rotate(photo, 3), rotate(photo, -3), half_size(photo)};
  for (const image::Image& copy : copies) {
    CHECK(colours_agree(g, colour_grid(copy), false));
    CHECK(colour_correlation(g, colour_grid(copy)) >= 0.85);
  }
  std::vector<ColourGrid> others;
  for (unsigned seed = 100; seed < 130; ++seed) others.push_back(colour_grid(colour_blocks(400, 300, seed)));
  int agreeing = 0;
  for (size_t i = 0; i < others.size(); ++i)
    for (size_t j = i + 1; j < others.size(); ++j) agreeing += colours_agree(others[i], others[j], false);
  CHECK(agreeing == 0);
  const ColourGrid flat = colour_grid(image::Image::blank(50, 40));
  CHECK(colour_correlation(flat, flat) == 1.0);
  CHECK(colour_correlation(flat, g) == 0.0);
}

TEST_CASE("colour check: a mirrored copy agrees through the mirrored grid only with flips") {
  const image::Image photo = colour_blocks(300, 200, 8), flipped = mirror(photo);
  const ColourGrid g = colour_grid(photo), f = colour_grid(flipped);
  CHECK(colour_correlation(mirrored(g), f) > 0.99);
  CHECK(mirrored(mirrored(g)) == g);
  CHECK(colours_agree(g, f, true));
  CHECK(colour_correlation(g, f) < kMinColourCorrelation);
  CHECK(!colours_agree(g, f, false));
}

TEST_CASE("two-stage match: views that match but colours that do not give no match") {
  const image::Image photo = colour_blocks(400, 300, 3);
  const Signature a = signature(photo, false);
  Signature b = a;
  b.colour = colour_grid(colour_blocks(400, 300, 4));
  REQUIRE(colour_correlation(a.colour, b.colour) < kMinColourCorrelation);
  CHECK(match_distance(a.views, b.views, kCoarseThreshold) == 0);
  CHECK(match_distance(a, b, kCoarseThreshold) == kNoMatch);
  CHECK(view_pairs({a, b}, kCoarseThreshold, kFineThreshold).empty());
  CHECK(view_pairs({a, a}, kCoarseThreshold, kFineThreshold).size() == 1);
}

TEST_CASE("view_pairs finds exactly the pairs brute force finds") {
  for (unsigned seed : {1u, 2u, 3u}) {
    auto s = bench::planted_signatures(400, 60, 4, 30, seed);
    for (int coarse : {2, 4, 8}) {
      auto fast = view_pairs(s, coarse, 40);
      CHECK(fast == view_pairs_brute_force(s, coarse, 40));
      if (coarse >= 4) CHECK(fast.size() >= 60);
    }
  }
  CHECK(view_pairs({}, 4, 40).empty());
}

TEST_CASE("view_pairs finds the brute-force pairs whatever the tile size of its join") {
  auto s = bench::planted_signatures(600, 90, kCoarseThreshold, kFineThreshold, 5);
  const auto expected = view_pairs_brute_force(s, kCoarseThreshold, kFineThreshold);
  CHECK(expected.size() >= 90);
  for (size_t tile_views : {size_t(1), size_t(64), size_t(1000), kJoinTileViews}) {
    CAPTURE(tile_views);
    CHECK(view_pairs(s, kCoarseThreshold, kFineThreshold, tile_views) == expected);
    CHECK(view_pairs(s, 5, kFineThreshold, tile_views) == view_pairs_brute_force(s, 5, kFineThreshold));
  }
}

TEST_CASE("view_pairs gives the same pairs whatever the thread count") {
  auto s = bench::planted_signatures(30'000, 300, kCoarseThreshold, kFineThreshold, 7);
  const int before = thread_count();
  set_thread_count(1);
  auto one = view_pairs(s, kCoarseThreshold, kFineThreshold);
  set_thread_count(2);
  auto two = view_pairs(s, kCoarseThreshold, kFineThreshold);
  set_thread_count(before);
  CHECK(one.size() >= 300);
  CHECK(one == two);
}

TEST_CASE("NearIndex queries find exactly the cross pairs within the threshold") {
  std::mt19937_64 rng(9);
  std::vector<PerceptualHash> base(3000), queries(500);
  for (auto& h : base) h.words[0] = rng();
  for (auto& q : queries) {
    q = base[rng() % base.size()];
    for (int f = int(rng() % 8); f > 0; --f) q.words[0] ^= uint64_t(1) << (rng() % 64);
  }
  for (int t : {0, 3, 7}) {
    std::vector<HashPair> expected;
    for (uint32_t a = 0; a < queries.size(); ++a)
      for (uint32_t b = 0; b < base.size(); ++b)
        if (int d = hamming(queries[a], base[b]); d <= t) expected.push_back({a, b, d});
    CHECK(NearIndex(base, 64, t).query(queries) == expected);
  }
}

TEST_CASE("the streaming index keeps exactly what a brute-force scan keeps") {
  auto s = bench::planted_signatures(300, 80, 4, 30, 4);
  ViewStreamIndex index(kCoarseThreshold, 40);
  std::vector<Signature> kept;
  for (const auto& sig : s) {
    bool expected = true;
    for (const auto& k : kept) expected = expected && match_distance(sig, k, kCoarseThreshold) > 40;
    CHECK(index.insert_if_new(sig) == expected);
    if (expected) kept.push_back(sig);
  }
  CHECK(index.size() == kept.size());
  CHECK(kept.size() < s.size());
  CHECK_THROWS_AS(ViewStreamIndex(65, 10), UsageError);
}

TEST_CASE("the tail fit recovers an exponential tail and errs high on a binomial one") {
  // F(d) = 1e-3 * 2^(d - 10) for d <= 20 (then the rest at 30): the fit must give back the rate.
  std::vector<uint64_t> hist(64, 0);
  const double total = 1e9;
  double below = 0;
  for (int d = 0; d <= 20; ++d) {
    double f = 1e-3 * std::pow(2.0, d - 10);
    hist[size_t(d)] = uint64_t(std::llround(f * total - below));
    below += double(hist[size_t(d)]);
  }
  hist[30] = uint64_t(total - below);
  TailFit fit = fit_lower_tail(hist);
  REQUIRE(fit.last >= fit.first);
  CHECK(fit.slope == doctest::Approx(std::log(2.0)).epsilon(0.01));
  CHECK(fit.probability(0) == doctest::Approx(1e-3 / 1024).epsilon(0.05));
  // Binomial(64, 1/2) sampled 1e6 times: the extrapolation at small d must not be below the truth.
  std::vector<uint64_t> binom(65, 0);
  double p = std::pow(0.5, 64), cdf = 0;
  std::vector<double> exact(65);
  for (int d = 0; d <= 64; ++d) {
    binom[size_t(d)] = uint64_t(std::llround(1e6 * p));
    cdf += p;
    exact[size_t(d)] = cdf;
    p = p * (64 - d) / (d + 1);
  }
  TailFit b = fit_lower_tail(binom);
  for (int d = 0; d < b.first; ++d) CHECK(b.probability(d) >= exact[size_t(d)]);
  for (int d = 1; d < 64; ++d) CHECK(b.probability(d) >= b.probability(d - 1));
  CHECK(expected_false_pairs(1e6, 1, 1e-11) == doctest::Approx(5.0).epsilon(1e-5));
}
