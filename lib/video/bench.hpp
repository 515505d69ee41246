#pragma once
// `tiny bench frames`: tiny's frame extraction against the ffmpeg command-line tool on the same
// generated H.264 clip and the same sampling, measured in one run.
#include <nlohmann/json.hpp>

namespace tiny::video {

// Generates the clip with ffmpeg (1080p 20 s; quick: 360p 4 s) in a temporary folder and times:
// --fps 1 to PNG vs `ffmpeg -vf fps=1`, --keyframes vs the same ffmpeg run, and 10 spread
// --indices vs a full decode (`ffmpeg -f null`). Throws Error if ffmpeg is missing or fails.
nlohmann::json bench_frames(bool quick);

}  // namespace tiny::video
