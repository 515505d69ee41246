#include "core/error.hpp"
#include "dataset/content_hash.hpp"
#include "dataset/perceptual_hash.hpp"
#include "dataset/quality.hpp"
#include "image/encode.hpp"
#include "dataset_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <bitset>

using namespace tiny;
using namespace tiny::dataset;

namespace {

image::Image resized(const image::Image& img, int w, int h) {
  image::Image out = image::Image::blank(w, h);
  cv::Mat src(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat dst(h, w, CV_8UC3, out.pixels.data());
  cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

int popcount(const PerceptualHash& h) {
  int n = 0;
  for (uint64_t w : h.words) n += int(std::bitset<64>(w).count());
  return n;
}

}  // namespace

TEST_CASE("aHash and dHash follow their definitions on a known picture") {
  // Left half black, right half white: aHash bits are set exactly on the right half of each row.
  image::Image img = image::Image::blank(64, 64);
  for (int y = 0; y < 64; ++y)
    for (int x = 32; x < 64; ++x) std::fill(img.at(x, y), img.at(x, y) + 3, uint8_t(255));
  PerceptualHash a = average_hash(img);
  CHECK(a.words[0] == 0xF0F0F0F0F0F0F0F0ull);
  // A left-to-right decreasing ramp: every pixel is brighter than its right neighbour.
  image::Image ramp = image::Image::blank(90, 80);
  for (int y = 0; y < 80; ++y)
    for (int x = 0; x < 90; ++x) std::fill(ramp.at(x, y), ramp.at(x, y) + 3, uint8_t(255 - x * 2));
  CHECK(difference_hash(ramp).words[0] == ~uint64_t(0));
  CHECK(difference_hash(img).words[0] == 0);
}

TEST_CASE("pHash has half its bits set, survives resizing and separates different pictures") {
  image::Image a = test::blocks_image(256, 192, 1), b = test::blocks_image(256, 192, 7);
  for (HashKind k : {HashKind::phash, HashKind::phash256}) {
    PerceptualHash ha = compute_hash(a, k);
    CHECK(popcount(ha) == hash_bits(k) / 2);
    CHECK(hamming(ha, compute_hash(resized(a, 200, 150), k)) <= hash_bits(k) / 16);
    CHECK(hamming(ha, compute_hash(b, k)) > hash_bits(k) / 8);
    CHECK(hash_hex(ha, k).size() == size_t(hash_bits(k) / 4));
  }
  CHECK(compute_hash(a, HashKind::phash256).words[3] != 0);
  CHECK(compute_hash(a, HashKind::phash).words[1] == 0);
}

TEST_CASE("hash names parse and bad names are usage errors") {
  CHECK(hash_kind_from_name("dhash") == HashKind::dhash);
  CHECK(hash_kind_from_name("phash256") == HashKind::phash256);
  CHECK_THROWS_AS(hash_kind_from_name("md5"), UsageError);
  CHECK_THROWS_AS(dct_hash(image::Image{}), Error);
}

TEST_CASE("content hash depends on every byte and the length") {
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7);
  uint64_t h = content_hash(data.data(), data.size());
  CHECK(h == content_hash(data.data(), data.size()));
  for (size_t pos : {0u, 31u, 500u, 999u}) {
    auto copy = data;
    copy[pos] ^= 1;
    CHECK(content_hash(copy.data(), copy.size()) != h);
  }
  CHECK(content_hash(data.data(), 999) != h);
  std::vector<uint8_t> zeros(64, 0);
  CHECK(content_hash(zeros.data(), 32) != content_hash(zeros.data(), 33));
}

TEST_CASE("quality measures: blur lowers sharpness, grey has no colour") {
  image::Image img = test::make_test_image(256, 256, 3);
  image::Image blurred = img;
  cv::Mat m(blurred.height, blurred.width, CV_8UC3, blurred.pixels.data());
  cv::GaussianBlur(m, m, cv::Size(0, 0), 3.0);
  QualityScores q = measure_quality(img), qb = measure_quality(blurred);
  CHECK(qb.sharpness < q.sharpness / 4);
  image::Image grey = image::Image::blank(32, 32);
  std::fill(grey.pixels.begin(), grey.pixels.end(), uint8_t(100));
  QualityScores qg = measure_quality(grey);
  CHECK(qg.colourfulness == doctest::Approx(0));
  CHECK(qg.brightness == doctest::Approx(100));
  CHECK(qg.contrast == doctest::Approx(0));
  image::Image red = grey;
  for (size_t i = 0; i < red.pixels.size(); i += 3) red.pixels[i] = 255;
  CHECK(measure_quality(red).colourfulness > 50);
}
