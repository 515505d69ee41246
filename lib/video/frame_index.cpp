#include "video/frame_index.hpp"

#include "core/error.hpp"
#include "video/av_input.hpp"

#include <algorithm>

namespace tiny::video {

int64_t FrameIndex::find(int64_t frame_pts) const {
  auto it = std::lower_bound(pts.begin(), pts.end(), frame_pts);
  if (it == pts.end() || *it != frame_pts) return -1;
  return it - pts.begin();
}

size_t FrameIndex::at_time(double seconds) const {
  size_t lo = 0;
  for (size_t step = pts.size(); step > 0; step /= 2) {
    while (lo + step < pts.size() && time(lo + step) <= seconds + 1e-9) lo += step;
  }
  return lo;
}

size_t FrameIndex::key_count() const { return std::count(key.begin(), key.end(), 1); }

FrameIndex scan_frames(AvInput& input) {
  std::vector<std::pair<int64_t, uint8_t>> frames;
  AVPacket* packet = av_packet_alloc();
  try {
    while (input.read_packet(packet)) {
      int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      bool key = packet->flags & AV_PKT_FLAG_KEY;
      bool skip = packet->flags & (AV_PKT_FLAG_CORRUPT | AV_PKT_FLAG_DISCARD);
      av_packet_unref(packet);
      if (skip) continue;
      if (ts == AV_NOPTS_VALUE) throw Error(file_error(input.path(), "video packets carry no timestamps"));
      frames.emplace_back(ts, key ? 1 : 0);
    }
  } catch (...) {
    av_packet_free(&packet);
    throw;
  }
  av_packet_free(&packet);
  av_seek_frame(input.format(), input.stream_index(), INT64_MIN, AVSEEK_FLAG_BACKWARD);
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               frames.end());
  FrameIndex index;
  index.time_base = av_q2d(input.stream()->time_base);
  for (const auto& [ts, key] : frames) {
    index.pts.push_back(ts);
    index.key.push_back(key);
  }
  return index;
}

}  // namespace tiny::video
