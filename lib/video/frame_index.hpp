#pragma once
// The presentation timestamps of every frame of a video stream, read from the packets without
// decoding: frame i is the i-th frame in display (PTS) order, so indices match a full decode.
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::video {

class AvInput;

struct FrameIndex {
  std::vector<int64_t> pts;      // sorted presentation timestamps, one per frame
  std::vector<uint8_t> key;      // key[i]: frame i is a key frame
  double time_base = 0;          // seconds per PTS unit
  // Seconds of frame i's timestamp.
  double time(size_t i) const { return static_cast<double>(pts[i]) * time_base; }
  // Index of the frame with this PTS, or -1.
  int64_t find(int64_t frame_pts) const;
  // Index of the frame shown at `seconds` (the last with time <= seconds; 0 before the first).
  size_t at_time(double seconds) const;
  // Number of key frames.
  size_t key_count() const;
};

// Scans all packets of the input's video stream (rewinds afterwards); throws Error if packets
// carry no timestamps.
FrameIndex scan_frames(AvInput& input);

}  // namespace tiny::video
