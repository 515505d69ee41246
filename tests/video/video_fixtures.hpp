#pragma once
// Short test videos made with libavcodec's encoders, each frame carrying its number as a pattern
// of big black/white blocks that survives lossy compression.
#include "image/image.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::test {

struct VideoSpec {
  std::string codec = "libx264";  // libx264, mpeg4, mjpeg, ffv1
  int width = 160, height = 96;
  int frames = 60;
  int fps = 25;                    // time base 1/fps unless pts_ms is given
  std::vector<int64_t> pts_ms;     // variable frame rate: each frame's time in milliseconds
  int b_frames = 0;
  int gop = 12;
  int display_rotation = 0;        // av_display_rotation_set angle; through MP4, 90 shows turned clockwise
};

// An H.264 clip of `frames` frames with a key frame every `gop` and `b_frames` B-frames.
VideoSpec h264_clip(int frames, int gop, int b_frames);
// The picture of frame `number`: 8 bit blocks across the top half, a gray bottom half.
image::Image counter_frame(int width, int height, int number);
// Reads the number back from a (decoded, unrotated) picture.
int read_counter(const image::Image& image);
// Encodes a video (container chosen by the path's extension) following spec.
void write_test_video(const std::string& path, const VideoSpec& spec);

}  // namespace tiny::test
