#include "video/fps_filter.hpp"

#include "core/error.hpp"

extern "C" {
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <climits>

namespace tiny::video {
namespace {

AVRounding av_rounding(FpsRound round) {
  switch (round) {
    case FpsRound::up: return AV_ROUND_UP;
    case FpsRound::down: return AV_ROUND_DOWN;
    case FpsRound::near: break;
  }
  return AV_ROUND_NEAR_INF;
}

}  // namespace

FpsRound parse_fps_round(const std::string& name) {
  if (name == "near") return FpsRound::near;
  if (name == "up") return FpsRound::up;
  if (name == "down") return FpsRound::down;
  throw UsageError("unknown fps rounding '" + name + "' (expected near, up or down)");
}

std::vector<size_t> fps_filter_frames(const FrameIndex& index, size_t first, size_t last, double fps, FpsRound round) {
  std::vector<size_t> out;
  if (first >= last || fps <= 0) return out;
  // The filter (libavfilter/vf_fps.c) rounds each input timestamp to an output slot of its time
  // base 1/fps, starts at the first frame's slot, fills each slot with the last frame whose slot is
  // not after it, and stops before the slot of the end of the stream. So a frame is output iff its
  // slot comes before both the next frame's slot and the end's slot.
  const AVRational in{index.time_base_num, index.time_base_den};
  const AVRational slot_length = av_inv_q(av_d2q(fps, INT_MAX));
  const auto rounding = static_cast<AVRounding>(av_rounding(round) | AV_ROUND_PASS_MINMAX);
  auto slot = [&](int64_t pts) { return av_rescale_q_rnd(pts - index.start_pts, in, slot_length, rounding); };
  const int64_t end = slot(last < index.pts.size() ? index.pts[last] : index.end_pts);
  int64_t current = slot(index.pts[first]);
  for (size_t i = first; i < last; ++i) {
    int64_t following = i + 1 < last ? slot(index.pts[i + 1]) : end;
    if (current < std::min(following, end)) out.push_back(i);
    current = following;
  }
  return out;
}

}  // namespace tiny::video
