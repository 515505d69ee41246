#pragma once
// `tiny bench frames`: tiny's frame extraction against the ffmpeg command-line tool on the same
// generated H.264 clip and the same sampling, measured in one run.
#include <nlohmann/json.hpp>

#include <string>

namespace tiny::bench {

// Generates the clip with ffmpeg (1080p 20 s; quick: 360p 4 s) in a temporary folder and times
// tiny's extraction (in this process) to PNG against the ffmpeg tool: --fps 1 vs `ffmpeg -vf fps=1`,
// --keyframes vs the same run (the yardstick) and vs `ffmpeg -skip_frame nokey` (the same
// frames), and 10 spread --indices vs a full decode (`ffmpeg -f null`). Where both write the same
// frames it checks that their pixels are identical. With tiny_exe (the tiny binary) it also times
// that program's start, which a `tiny frames` command adds. Throws Error if ffmpeg is missing or fails.
nlohmann::json bench_frames(bool quick, const std::string& tiny_exe = "");

}  // namespace tiny::bench
