#include "dataset/colour_check.hpp"

#include "core/error.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace tiny::dataset {
namespace {

constexpr int kCells = kColourGridSide * kColourGridSide;

// The grid's cells minus each channel's mean over the cells.
std::array<double, kCells * 3> centred(const ColourGrid& g) {
  std::array<double, kCells * 3> out{};
  for (int c = 0; c < 3; ++c) {
    double mean = 0;
    for (int i = 0; i < kCells; ++i) mean += g[size_t(3 * i + c)];
    mean /= kCells;
    for (int i = 0; i < kCells; ++i) out[size_t(3 * i + c)] = g[size_t(3 * i + c)] - mean;
  }
  return out;
}

}  // namespace

ColourGrid colour_grid(const image::Image& img) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot describe the colours of an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat cells;
  cv::resize(rgb, cells, cv::Size(kColourGridSide, kColourGridSide), 0, 0, cv::INTER_AREA);
  ColourGrid g;
  for (int y = 0; y < kColourGridSide; ++y)
    for (int x = 0; x < kColourGridSide; ++x)
      for (int c = 0; c < 3; ++c) g[size_t(3 * (y * kColourGridSide + x) + c)] = cells.at<cv::Vec3b>(y, x)[c];
  return g;
}

ColourGrid mirrored(const ColourGrid& g) {
  ColourGrid out;
  for (int y = 0; y < kColourGridSide; ++y)
    for (int x = 0; x < kColourGridSide; ++x)
      for (int c = 0; c < 3; ++c)
        out[size_t(3 * (y * kColourGridSide + x) + c)] = g[size_t(3 * (y * kColourGridSide + kColourGridSide - 1 - x) + c)];
  return out;
}

double colour_correlation(const ColourGrid& a, const ColourGrid& b) {
  const auto x = centred(a), y = centred(b);
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    xy += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
  }
  if (xx == 0 || yy == 0) return xx == yy ? 1.0 : 0.0;  // flat grids agree only with flat grids
  return xy / std::sqrt(xx * yy);
}

bool colours_agree(const ColourGrid& a, const ColourGrid& b, bool flips) {
  return colour_correlation(a, b) >= kMinColourCorrelation || (flips && colour_correlation(a, mirrored(b)) >= kMinColourCorrelation);
}

}  // namespace tiny::dataset
