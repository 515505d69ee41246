#include "fuzz_video_entry.hpp"

#include "fuzz_scratch_file.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "video/av_input.hpp"
#include "video/extract.hpp"
#include "video/probe.hpp"

#include <algorithm>
#include <limits>

namespace tiny::fuzz {

void fuzz_video_one(const uint8_t* data, size_t size) {
  log::set_level(log::Level::quiet);
  const ScratchFile file("video", data, size);
  try {
    video::probe_video(file.path(), true);
    video::AvInput input(file.path(), 1);
    const video::FrameIndex index = video::scan_frames(input);
    video::ExtractOptions options;
    options.max_side = 32;
    const auto drop = [](video::Frame&&) {};
    video::extract_scenes(input, index, 0, std::numeric_limits<double>::infinity(), 0.0, options, drop);
    if (index.pts.empty()) return;
    const size_t last = index.pts.size() - 1;
    std::vector<size_t> wanted = {0, last / 2, last};
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    video::extract_indices(input, index, wanted, options, drop);
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
