#pragma once
// Low-frequency DCT coefficients of many windows of one picture, without resizing or transforming
// each window: the top-left keep x keep coefficients of the orthonormal 2-D DCT-II of a window
// area-resampled to side x side are Ay * window * Bx^T, where Bx = C * Rx (C: the first `keep` DCT
// basis rows of length `side`; Rx: the area-resampling weights of the window's columns onto `side`
// samples) and Ay likewise for its rows. The product with Bx is shared by every window with the same
// columns, so a picture's windows cost one pass over its pixels plus a small product per window.
#include <opencv2/core.hpp>

#include <vector>

namespace tiny::dataset {

// A window of a picture in pixels, [x0, x1) x [y0, y1); `mirror`: the window flipped left-right.
struct PixelWindow {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool mirror = false;
};

// Weights (keep x n, row-major) taking n samples to the first `keep` orthonormal DCT-II coefficients
// of samples [begin, end) area-resampled to `side` samples (box average of each output's footprint).
std::vector<float> axis_transform(int n, int begin, int end, int side, int keep);

// For each window of `luma` (CV_32FC1), its keep x keep coefficients, row-major (vertical frequency,
// then horizontal), as cv::dct of the window area-resized to side x side would give them.
std::vector<std::vector<float>> window_dcts(const cv::Mat& luma, const std::vector<PixelWindow>& windows, int side,
                                            int keep);

}  // namespace tiny::dataset
