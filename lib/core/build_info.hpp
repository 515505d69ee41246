#pragma once
// What this build of tiny is: version, git hash, build type and optional features compiled in.
#include <string>
#include <vector>

namespace tiny {

struct BuildInfo {
  std::string version, git_hash, build_type;
  std::vector<std::string> features;  // e.g. "torch-1.13.1", "cuda", "ffmpeg-5.1"
};

// Returns the build information baked in at configure time.
BuildInfo build_info();

}  // namespace tiny
