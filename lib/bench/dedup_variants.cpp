#include "bench/dedup_variants.hpp"

#include "image/decode.hpp"
#include "image/encode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <random>

namespace tiny::bench {
namespace {

cv::Mat as_mat(image::Image& img) { return cv::Mat(img.height, img.width, CV_8UC3, img.pixels.data()); }

image::Image from_mat(const cv::Mat& m) {
  image::Image out = image::Image::blank(m.cols, m.rows);
  cv::Mat dst = as_mat(out);
  m.copyTo(dst);
  return out;
}

image::Image jpeg_round_trip(const image::Image& img, int quality) {
  image::EncodeOptions o;
  o.quality = quality;
  return image::decode_image(image::encode_image(img, image::Format::jpeg, o), "variant");
}

// Removes the given fractions of the width/height at the left, top, right and bottom edges.
image::Image crop(image::Image img, double l, double t, double r, double b) {
  int x0 = int(img.width * l), y0 = int(img.height * t);
  int x1 = img.width - int(img.width * r), y1 = img.height - int(img.height * b);
  return from_mat(as_mat(img)(cv::Rect(x0, y0, x1 - x0, y1 - y0)));
}

image::Image adjust(image::Image img, double gain, double offset) {
  cv::Mat out;
  as_mat(img).convertTo(out, CV_8UC3, gain, offset);
  return from_mat(out);
}

image::Image rotate(image::Image img, double degrees) {
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(img.width / 2.f, img.height / 2.f), degrees, 1.0), out;
  cv::warpAffine(as_mat(img), out, m, cv::Size(img.width, img.height), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return from_mat(out);
}

image::Image resize_by(image::Image img, double f) {
  cv::Mat out;
  cv::resize(as_mat(img), out, cv::Size(), f, f, cv::INTER_AREA);
  return from_mat(out);
}

image::Image mirror(image::Image img) {
  cv::Mat out;
  cv::flip(as_mat(img), out, 1);
  return from_mat(out);
}

image::Image text_overlay(image::Image img) {
  cv::Mat m = as_mat(img);
  double scale = img.width / 400.0;
  cv::putText(m, "tiny sample (c) 2026", cv::Point(img.width / 20, img.height * 9 / 10), cv::FONT_HERSHEY_SIMPLEX,
              scale, cv::Scalar(255, 255, 255), std::max(1, int(2 * scale)));
  return img;
}

}  // namespace

std::vector<std::pair<std::string, image::Image>> make_variants(const image::Image& photo, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> edge(0.0, 0.10);
  double l = edge(rng), t = edge(rng), r = edge(rng), b = edge(rng);
  return {{"resize-50%", resize_by(photo, 0.5)},
          {"resize-25%", resize_by(photo, 0.25)},
          {"jpeg-q30", jpeg_round_trip(photo, 30)},
          {"jpeg-q60", jpeg_round_trip(photo, 60)},
          {"crop-10%-each-edge", crop(photo, 0.1, 0.1, 0.1, 0.1)},
          {"crop-10%-left", crop(photo, 0.1, 0, 0, 0)},
          {"crop-10%-top-right", crop(photo, 0, 0.1, 0.1, 0)},
          {"crop-5%-bottom", crop(photo, 0, 0, 0, 0.05)},
          {"crop-random", crop(photo, l, t, r, b)},
          {"brightness+20%", adjust(photo, 1.2, 0)},
          {"brightness-20%", adjust(photo, 0.8, 0)},
          {"contrast+20%", adjust(photo, 1.2, -0.2 * 128)},
          {"contrast-20%", adjust(photo, 0.8, 0.2 * 128)},
          {"rotate+3deg", rotate(photo, 3)},
          {"rotate-3deg", rotate(photo, -3)},
          {"text", text_overlay(photo)},
          {"mirror", mirror(photo)}};
}

bool is_mirror_variant(const std::string& name) { return name == "mirror"; }

}  // namespace tiny::bench
