#pragma once
// `tiny bench startup`: what tiny costs as a command on small inputs — time, CPU time and peak memory
// of `tiny --version`, `tiny info` on a small PNG, `tiny ingest` of a 2-line file:// list,
// `tiny frames --keyframes` on a 2 s clip, `tiny decompress` of that PNG's `.tic` (no libtorch) and a command that loads the networks — against ffprobe on
// the same file, measured in one run.
#include <nlohmann/json.hpp>

#include <string>

namespace tiny::bench {

// Times each case `runs` times (tiny_exe: the tiny binary) and returns one row per case: command,
// tiny's median_ms, min_ms, cpu_ms and peak_mb, the baseline's command and the same timings, ratio (the
// baseline's median over tiny's: above 1, tiny is faster) and cpu_ratio. Throws Error when ffprobe or
// ffmpeg (which encodes the clip) is not installed.
nlohmann::json bench_startup(const std::string& tiny_exe, int runs);

}  // namespace tiny::bench
