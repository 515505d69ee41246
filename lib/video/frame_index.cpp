#include "video/frame_index.hpp"

#include "core/error.hpp"
#include "video/av_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

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

namespace {

// Why a scan that found `frames` frames and `cut_short` corrupt packets missed part of the stream, or "".
std::string stream_damage(const AvInput& input, size_t frames, size_t cut_short) {
  if (!input.read_error().empty())
    return fmt::format("the video stops after {} frames: {} (truncated or damaged file)", frames, input.read_error());
  if (cut_short > 0) return fmt::format("{} packets are cut short (truncated or damaged file)", cut_short);
  int64_t listed = input.stream()->nb_frames;
  if (listed > 0 && uint64_t(listed) > frames)
    return fmt::format("the container lists {} frames but only {} are present (truncated file)", listed, frames);
  return "";
}

}  // namespace

FrameIndex scan_frames(AvInput& input) {
  struct Packet {
    int64_t pts, duration;
    uint8_t key;
  };
  std::vector<Packet> frames;
  int64_t first_dts = INT64_MAX;
  size_t cut_short = 0;
  AVPacket* packet = av_packet_alloc();
  try {
    while (input.read_packet(packet)) {
      int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      bool key = packet->flags & AV_PKT_FLAG_KEY;
      bool skip = packet->flags & (AV_PKT_FLAG_CORRUPT | AV_PKT_FLAG_DISCARD);
      cut_short += (packet->flags & AV_PKT_FLAG_CORRUPT) != 0;
      int64_t duration = packet->duration;
      int64_t dts = packet->dts != AV_NOPTS_VALUE ? packet->dts : ts;
      av_packet_unref(packet);
      if (skip) continue;
      if (ts == AV_NOPTS_VALUE) throw Error(file_error(input.path(), "video packets carry no timestamps"));
      first_dts = std::min(first_dts, dts);
      frames.push_back({ts, duration, static_cast<uint8_t>(key ? 1 : 0)});
    }
  } catch (...) {
    av_packet_free(&packet);
    throw;
  }
  av_packet_free(&packet);
  std::string damage = stream_damage(input, frames.size(), cut_short);
  if (frames.empty()) {
    FrameIndex empty;
    empty.damage = damage;
    return empty;
  }
  av_seek_frame(input.format(), input.stream_index(), first_dts, AVSEEK_FLAG_BACKWARD);
  std::sort(frames.begin(), frames.end(), [](const Packet& a, const Packet& b) { return a.pts < b.pts; });
  frames.erase(std::unique(frames.begin(), frames.end(), [](const Packet& a, const Packet& b) { return a.pts == b.pts; }),
               frames.end());
  FrameIndex index;
  AVRational time_base = input.stream()->time_base;
  index.time_base_num = time_base.num;
  index.time_base_den = time_base.den;
  index.first_dts = first_dts;
  index.damage = damage;
  // The ffmpeg tool shifts every timestamp by minus the file's start time (rescaled the same way).
  int64_t start = input.format()->start_time;
  if (start != AV_NOPTS_VALUE) index.start_pts = -av_rescale_q(-start, AV_TIME_BASE_Q, time_base);
  for (const auto& f : frames) {
    index.pts.push_back(f.pts);
    index.key.push_back(f.key);
  }
  // The last frame lasts its packet's duration, or else as long as the frame before it.
  size_t n = frames.size();
  int64_t duration = frames[n - 1].duration > 0 ? frames[n - 1].duration
                     : n > 1                    ? frames[n - 1].pts - frames[n - 2].pts
                                                : 0;
  index.end_pts = frames[n - 1].pts + duration;
  return index;
}

}  // namespace tiny::video
