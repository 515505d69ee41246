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
  int time_base_num = 0, time_base_den = 1;  // seconds per PTS unit, as a fraction
  int64_t start_pts = 0;         // the file's start time in PTS units (the ffmpeg tool counts from it)
  int64_t end_pts = 0;           // where the last frame ends: its PTS plus its duration
  int64_t first_dts = 0;         // the smallest decoding timestamp: seeking there rewinds the stream
  std::string damage;            // "" for a whole stream; else why frames are missing (truncated file,
                                 // unreadable or cut-short packets, fewer frames than the container lists)
  // Seconds of frame i's timestamp.
  double time(size_t i) const { return static_cast<double>(pts[i]) * time_base_num / time_base_den; }
  // Index of the frame with this PTS, or -1.
  int64_t find(int64_t frame_pts) const;
  // Index of the frame shown at `seconds` (the last with time <= seconds; 0 before the first).
  size_t at_time(double seconds) const;
  // Number of key frames.
  size_t key_count() const;
};

// Scans all packets of the input's video stream (rewinds afterwards); throws Error if packets
// carry no timestamps. A damaged or truncated stream gives the frames before the damage and says so.
FrameIndex scan_frames(AvInput& input);

}  // namespace tiny::video
