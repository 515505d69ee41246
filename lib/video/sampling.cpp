#include "video/sampling.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::video {

std::vector<size_t> select_frames(const FrameIndex& index, const Sampling& s) {
  std::vector<size_t> out;
  size_t n = index.pts.size();
  if (n == 0) return out;
  // The frames in [start, end]: [first, last).
  size_t first = 0;
  while (first < n && index.time(first) < s.start - 1e-9) ++first;
  size_t last = first;
  while (last < n && index.time(last) <= s.end + 1e-9) ++last;
  if (first == last) return out;
  auto in_range = [&](size_t i) { return i >= first && i < last; };
  if (!s.indices.empty()) {
    for (size_t i : s.indices) if (in_range(i)) out.push_back(i);
  } else if (!s.times.empty()) {
    // Past the last frame's display time (taken as the previous frame interval) nothing is shown.
    double shown_until = index.time(n - 1) + (n > 1 ? index.time(n - 1) - index.time(n - 2) : 0);
    for (double t : s.times) {
      if (t > shown_until + 1e-9) continue;
      size_t i = index.at_time(t);
      if (in_range(i) && t >= index.time(first) - 1e-9) out.push_back(i);
    }
  } else if (s.fps > 0) {
    out = fps_filter_frames(index, first, last, s.fps, s.fps_round);
  } else if (s.uniform > 0) {
    size_t count = last - first;
    size_t k = std::min(s.uniform, count);
    for (size_t j = 0; j < k; ++j) {
      out.push_back(first + (k == 1 ? 0 : static_cast<size_t>(std::llround(double(j) * (count - 1) / (k - 1)))));
    }
  } else {
    size_t step = std::max<size_t>(1, s.every);
    for (size_t i = first; i < last; i += step) out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace tiny::video
