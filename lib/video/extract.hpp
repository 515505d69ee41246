#pragma once
// Decoding chosen frames of a video: exact frames by index (seeking to the preceding key frame
// and decoding forward), key frames only, or scene changes.
#include "image/image.hpp"
#include "video/frame_index.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tiny::video {

class AvInput;

struct Frame {
  size_t index = 0;   // position in display order, as in a full decode
  int64_t pts = 0;    // presentation timestamp in stream time-base units
  double time = 0;    // seconds
  image::Image image; // RGB, rotated for display
};

struct ExtractOptions {
  int max_side = 0;   // downscale so the longer side is at most this (0: full size)
};

using FrameSink = std::function<void(Frame&&)>;

// How much a frame's picture changed from the previous decoded frame's (scene detection).
struct SceneScore {
  size_t index = 0;
  double time = 0;
  double score = NAN;  // mean absolute difference / 255 of the gray thumbnails; NaN for the first frame
  bool selected = false;  // passed to the sink (the first frame, and each above the threshold)
};

struct ExtractStats {
  size_t decoded = 0;         // frames decoded
  size_t decode_errors = 0;   // packets or frames the decoder rejected (decoding went on)
  size_t missing = 0;         // requested frames the decoder never produced
  std::string decoder = "software";  // where frames were decoded: "software" or a device ("cuda")
};

// Decodes the frames with the given indices (sorted, unique, < index.pts.size()) and passes each
// to sink in order.
ExtractStats extract_indices(AvInput& input, const FrameIndex& index, const std::vector<size_t>& wanted,
                             const ExtractOptions& options, const FrameSink& sink);
// Decodes only the key frames (the decoder skips all others) with times in [start, end].
ExtractStats extract_keyframes(AvInput& input, const FrameIndex& index, double start, double end,
                               const ExtractOptions& options, const FrameSink& sink);
// Decodes every frame in [start, end] and passes the first and each one whose downscaled gray
// picture differs from the previous frame's by more than threshold (mean absolute difference / 255);
// appends every decoded frame's score to `scores` when given.
ExtractStats extract_scenes(AvInput& input, const FrameIndex& index, double start, double end,
                            double threshold, const ExtractOptions& options, const FrameSink& sink,
                            std::vector<SceneScore>* scores = nullptr);

}  // namespace tiny::video
