#include "dataset/window_dct.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tiny::dataset {

namespace {

// The first `keep` orthonormal DCT-II basis rows of length `side` (keep x side, row-major), kept per
// thread for the last size asked.
const std::vector<double>& dct_basis(int side, int keep) {
  thread_local int cached_side = 0, cached_keep = 0;
  thread_local std::vector<double> basis;
  if (side != cached_side || keep != cached_keep) {
    const double pi = std::acos(-1.0);
    basis.assign(size_t(keep) * size_t(side), 0.0);
    for (int k = 0; k < keep; ++k)
      for (int i = 0; i < side; ++i)
        basis[size_t(k * side + i)] = std::sqrt((k == 0 ? 1.0 : 2.0) / side) * std::cos(pi * (2 * i + 1) * k / (2.0 * side));
    cached_side = side;
    cached_keep = keep;
  }
  return basis;
}

}  // namespace

std::vector<float> axis_transform(int n, int begin, int end, int side, int keep) {
  if (begin < 0 || end > n || end <= begin || side <= 0 || keep <= 0 || keep > side)
    throw Error("window outside the picture");
  const double step = double(end - begin) / side;
  const std::vector<double>& basis = dct_basis(side, keep);
  std::vector<double> m(size_t(keep) * size_t(n), 0.0);
  for (int i = 0; i < side; ++i) {
    const double a = begin + i * step, b = a + step;  // output i averages [a, b)
    for (int p = int(std::floor(a)); p < std::min(end, int(std::ceil(b))); ++p) {
      const double w = (std::min(b, p + 1.0) - std::max(a, double(p))) / step;
      if (w <= 0) continue;
      for (int k = 0; k < keep; ++k) m[size_t(k * n + p)] += basis[size_t(k * side + i)] * w;
    }
  }
  return std::vector<float>(m.begin(), m.end());
}

std::vector<std::vector<float>> window_dcts(const cv::Mat& luma, const std::vector<PixelWindow>& windows, int side,
                                            int keep) {
  if (luma.type() != CV_32FC1) throw Error("window_dcts needs a one-channel float picture");
  const int rows = luma.rows, cols = luma.cols, k2 = keep * keep;
  // Distinct column ranges; their transforms interleaved per column: column c's `keep` weights of
  // range q at [c * stride + q * keep].
  std::vector<std::pair<int, int>> ranges;
  std::vector<size_t> range_of(windows.size());
  for (size_t w = 0; w < windows.size(); ++w) {
    std::pair<int, int> r{windows[w].x0, windows[w].x1};
    auto it = std::find(ranges.begin(), ranges.end(), r);
    range_of[w] = size_t(it - ranges.begin());
    if (it == ranges.end()) ranges.push_back(r);
  }
  const size_t stride = ranges.size() * size_t(keep);
  std::vector<float> bx(size_t(cols) * stride);
  for (size_t q = 0; q < ranges.size(); ++q) {
    std::vector<float> t = axis_transform(cols, ranges[q].first, ranges[q].second, side, keep);
    for (int k = 0; k < keep; ++k)
      for (int c = 0; c < cols; ++c) bx[size_t(c) * stride + q * size_t(keep) + size_t(k)] = t[size_t(k * cols + c)];
  }
  // Every row times every column transform: rows x stride.
  std::vector<float> product(size_t(rows) * stride, 0.f);
  for (int y = 0; y < rows; ++y) {
    const float* in = luma.ptr<float>(y);
    float* out = product.data() + size_t(y) * stride;
    for (int c = 0; c < cols; ++c) {
      const float v = in[c];
      const float* weights = bx.data() + size_t(c) * stride;
      for (size_t j = 0; j < stride; ++j) out[j] += v * weights[j];
    }
  }
  std::vector<std::vector<float>> result(windows.size(), std::vector<float>(size_t(k2), 0.f));
  std::vector<std::pair<std::pair<int, int>, std::vector<float>>> row_transforms;
  for (size_t w = 0; w < windows.size(); ++w) {
    const PixelWindow& win = windows[w];
    std::pair<int, int> r{win.y0, win.y1};
    auto it = std::find_if(row_transforms.begin(), row_transforms.end(), [&](const auto& t) { return t.first == r; });
    if (it == row_transforms.end()) {
      row_transforms.push_back({r, axis_transform(rows, win.y0, win.y1, side, keep)});
      it = row_transforms.end() - 1;
    }
    const std::vector<float>& ay = it->second;
    float* out = result[w].data();
    for (int y = win.y0; y < win.y1; ++y) {
      const float* col = product.data() + size_t(y) * stride + range_of[w] * size_t(keep);
      for (int j = 0; j < keep; ++j) {
        const float a = ay[size_t(j * rows + y)];
        float* dst = out + j * keep;
        for (int k = 0; k < keep; ++k) dst[k] += a * col[k];
      }
    }
    // Flipping a window left-right negates its odd horizontal frequencies.
    if (win.mirror)
      for (int j = 0; j < keep; ++j)
        for (int k = 1; k < keep; k += 2) out[j * keep + k] = -out[j * keep + k];
  }
  return result;
}

}  // namespace tiny::dataset
