#include "dataset/perceptual_hash.hpp"

#include "core/error.hpp"
#include "dataset/view_hash.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <bitset>

namespace tiny::dataset {
namespace {

// Luma (ITU-R 601, as PIL's convert("L")) resized with area averaging to w x h, as float.
cv::Mat gray_resized(const image::Image& img, int w, int h) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot hash an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat gray, small, out;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::resize(gray, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  small.convertTo(out, CV_32F);
  return out;
}

void set_bit(PerceptualHash& h, int i) { h.words[i / 64] |= uint64_t(1) << (i % 64); }

PerceptualHash dct_hash_n(const image::Image& img, int side, int keep) {
  cv::Mat dct;
  cv::dct(gray_resized(img, side, side), dct);
  std::vector<float> coeffs;
  for (int y = 0; y < keep; ++y)
    for (int x = 0; x < keep; ++x) coeffs.push_back(dct.at<float>(y, x));
  std::vector<float> sorted = coeffs;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  float hi = sorted[sorted.size() / 2];
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2 - 1, sorted.end());
  float median = 0.5f * (hi + sorted[sorted.size() / 2 - 1]);
  PerceptualHash h;
  for (size_t i = 0; i < coeffs.size(); ++i)
    if (coeffs[i] > median) set_bit(h, int(i));
  return h;
}

}  // namespace

int hash_bits(HashKind kind) { return kind == HashKind::phash256 || kind == HashKind::views ? 256 : 64; }

int default_threshold(HashKind kind) {
  switch (kind) {
    case HashKind::ahash: return 2;
    case HashKind::dhash: return 10;
    case HashKind::phash: return 10;
    case HashKind::phash256: return 64;
    case HashKind::views: return kFineThreshold;
  }
  return 0;
}

HashKind hash_kind_from_name(const std::string& name) {
  for (HashKind k : {HashKind::ahash, HashKind::dhash, HashKind::phash, HashKind::phash256, HashKind::views})
    if (name == hash_kind_name(k)) return k;
  throw UsageError("unknown hash '" + name + "' (choose views, phash, dhash, ahash or phash256)");
}

const char* hash_kind_name(HashKind kind) {
  switch (kind) {
    case HashKind::ahash: return "ahash";
    case HashKind::dhash: return "dhash";
    case HashKind::phash: return "phash";
    case HashKind::phash256: return "phash256";
    case HashKind::views: return "views";
  }
  return "?";
}

int hamming(const PerceptualHash& a, const PerceptualHash& b) {
  int d = 0;
  for (int i = 0; i < 4; ++i) d += int(std::bitset<64>(a.words[i] ^ b.words[i]).count());
  return d;
}

std::string hash_hex(const PerceptualHash& h, HashKind kind) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (int w = 0; w < hash_bits(kind) / 64; ++w)
    for (int s = 60; s >= 0; s -= 4) out += digits[(h.words[w] >> s) & 15];
  return out;
}

PerceptualHash average_hash(const image::Image& img) {
  cv::Mat g = gray_resized(img, 8, 8);
  double mean = cv::mean(g)[0];
  PerceptualHash h;
  for (int i = 0; i < 64; ++i)
    if (g.at<float>(i / 8, i % 8) > mean) set_bit(h, i);
  return h;
}

PerceptualHash difference_hash(const image::Image& img) {
  cv::Mat g = gray_resized(img, 9, 8);
  PerceptualHash h;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x)
      if (g.at<float>(y, x) > g.at<float>(y, x + 1)) set_bit(h, y * 8 + x);
  return h;
}

PerceptualHash dct_hash(const image::Image& img) { return dct_hash_n(img, 32, 8); }

PerceptualHash dct_hash256(const image::Image& img) { return dct_hash_n(img, 64, 16); }

PerceptualHash compute_hash(const image::Image& img, HashKind kind) {
  switch (kind) {
    case HashKind::ahash: return average_hash(img);
    case HashKind::dhash: return difference_hash(img);
    case HashKind::phash: return dct_hash(img);
    case HashKind::phash256: return dct_hash256(img);
    case HashKind::views: {
      PerceptualHash h;
      const ViewHash whole = view_hashes(img, {CropFrame{}})[0];
      std::copy(whole.fine.begin(), whole.fine.end(), h.words.begin());
      return h;
    }
  }
  return {};
}

int hash_input_side(HashKind kind) {
  if (kind == HashKind::views) return kViewDecodeSide;
  return kind == HashKind::phash256 ? 64 : 32;
}

}  // namespace tiny::dataset
