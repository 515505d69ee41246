#pragma once
// What a video file holds: container, duration, streams, and its video stream's codec, size,
// frame rates, rotation and (optionally, by scanning packets) exact frame and key-frame counts.
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::video {

struct StreamInfo {
  int index = 0;
  std::string type;   // video, audio, subtitle, data
  std::string codec;  // FFmpeg codec name
};

struct VideoInfo {
  std::string container;          // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  double duration = 0;            // seconds (0 if unknown)
  std::vector<StreamInfo> streams;
  std::string codec;              // of the best video stream
  int width = 0, height = 0;      // display size (after rotation)
  int rotation = 0;               // clockwise degrees applied for display
  double avg_fps = 0, real_fps = 0;
  int64_t frames = -1;            // container's frame count, or exact when counted; -1 unknown
  int64_t key_frames = -1;        // exact when counted; -1 unknown
  bool counted = false;
  std::string damage;             // when counted: why the count falls short of the stream ("" if whole)
};

// Probes a video file; count=true scans every packet for exact frame and key-frame counts (of the
// frames present: a truncated file counts what is left and sets `damage`).
// Throws Error naming the file if it is not a readable video.
VideoInfo probe_video(const std::string& path, bool count = false);
// True if FFmpeg can open the file as a video (not a still image) with a video stream.
bool is_video(const std::string& path);

}  // namespace tiny::video
