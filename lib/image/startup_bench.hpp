#pragma once
// `tiny bench startup`: what tiny costs as a command before it does any work — start-up time and
// peak memory of `tiny --version`, `tiny info` on a small PNG and a command that loads the networks —
// against ffprobe on the same file, measured in one run.
#include <nlohmann/json.hpp>

#include <string>

namespace tiny::image {

// Times each case `runs` times (tiny_exe: the tiny binary) and returns one row per case: command,
// median_ms, min_ms, peak_mb, the baseline's command, median_ms and peak_mb, and ratio (the baseline's
// median over tiny's: above 1, tiny starts faster). Throws Error when ffprobe is not installed.
nlohmann::json bench_startup(const std::string& tiny_exe, int runs);

}  // namespace tiny::image
