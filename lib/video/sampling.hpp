#pragma once
// Which frames to extract: sampling modes turned into frame indices over a FrameIndex.
#include "video/fps_filter.hpp"
#include "video/frame_index.hpp"

#include <limits>
#include <vector>

namespace tiny::video {

struct Sampling {
  size_t every = 0;             // every Nth frame (0: off)
  std::vector<size_t> indices;  // exact frame indices
  std::vector<double> times;    // seconds: the frame shown at each time
  double fps = 0;               // frames per second, chosen as ffmpeg's fps filter does (0: off)
  FpsRound fps_round = FpsRound::near;  // the fps filter's timestamp rounding
  size_t uniform = 0;           // K frames spread evenly over the range (0: off)
  double start = 0;             // seconds; frames before are ignored
  double end = std::numeric_limits<double>::infinity();  // seconds; frames after are ignored
};

// Sorted unique frame indices chosen by the (single) active mode within [start, end]; all frames
// if no mode is set. Indices past the end of the video are dropped.
std::vector<size_t> select_frames(const FrameIndex& index, const Sampling& sampling);

}  // namespace tiny::video
