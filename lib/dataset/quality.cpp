#include "dataset/quality.hpp"

#include "core/error.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace tiny::dataset {

QualityScores measure_quality(const image::Image& img) {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot measure an empty image");
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat gray, lap;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::Laplacian(gray, lap, CV_64F);
  cv::Scalar lm, ls, gm, gs;
  cv::meanStdDev(lap, lm, ls);
  cv::meanStdDev(gray, gm, gs);
  QualityScores q;
  q.sharpness = ls[0] * ls[0];
  q.brightness = gm[0];
  q.contrast = gs[0];
  double srg = 0, srg2 = 0, syb = 0, syb2 = 0;
  const size_t n = size_t(img.width) * img.height;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = img.pixels.data() + 3 * i;
    double rg = double(p[0]) - p[1];
    double yb = 0.5 * (double(p[0]) + p[1]) - p[2];
    srg += rg;
    srg2 += rg * rg;
    syb += yb;
    syb2 += yb * yb;
  }
  double mrg = srg / n, myb = syb / n;
  double vrg = std::max(srg2 / n - mrg * mrg, 0.0), vyb = std::max(syb2 / n - myb * myb, 0.0);
  q.colourfulness = std::sqrt(vrg + vyb) + 0.3 * std::sqrt(mrg * mrg + myb * myb);
  return q;
}

}  // namespace tiny::dataset
