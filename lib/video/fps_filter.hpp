#pragma once
// The frames that FFmpeg's fps filter (`ffmpeg -i VIDEO -vf fps=F[:round=R] f%d.png`) outputs.
#include "video/frame_index.hpp"

#include <string>
#include <vector>

namespace tiny::video {

// How a frame's timestamp is rounded to an output slot of 1/F seconds (the filter's round option).
enum class FpsRound {
  near,  // to the nearest slot, halves away from zero (the filter's default)
  up,    // up: each slot shows the frame on screen at its start
  down,  // down: each slot shows the last frame that starts within it
};

// Parses "near", "up" or "down"; throws UsageError for anything else.
FpsRound parse_fps_round(const std::string& name);
// The frames [first, last) of the index that the fps filter outputs at `fps` frames per second,
// each once (the filter repeats a frame that fills several slots), in order. Timestamps count from
// the file's start as in the ffmpeg tool; the range ends where frame `last` starts (the end of the
// last frame if it is the end of the video).
std::vector<size_t> fps_filter_frames(const FrameIndex& index, size_t first, size_t last, double fps, FpsRound round);

}  // namespace tiny::video
