#pragma once
// Decoded FFmpeg frames to tiny images: RGB conversion set up as the ffmpeg tool does it, rotation
// and downscaling.
#include "image/image.hpp"

#include <cstdint>
#include <vector>

struct AVFrame;
struct SwsContext;

namespace tiny::video {

// Converts decoded frames with one swscale context, reused while frame size and format stay the same.
// The conversion is the one `ffmpeg -i VIDEO f%d.png` makes: swscale's bicubic flags (the tool's
// default) and the frame's own colour matrix and range, so lossless output matches it pixel for pixel.
class FrameConverter {
public:
  FrameConverter() = default;
  ~FrameConverter();
  FrameConverter(const FrameConverter&) = delete;
  FrameConverter& operator=(const FrameConverter&) = delete;

  // The frame in RGB, scaled so its longer side is at most max_side (0: full size), then rotated
  // clockwise by `rotation` degrees (0, 90, 180, 270).
  image::Image to_image(const AVFrame* frame, int rotation, int max_side = 0);
  // A small gray thumbnail (width x height bytes) of the frame, for scene-change detection.
  std::vector<uint8_t> gray_thumbnail(const AVFrame* frame, int width, int height);

private:
  void scale(const AVFrame* frame, int width, int height, int format, int channels, uint8_t* out);
  SwsContext* sws_ = nullptr;
  std::vector<uint8_t> padded_;  // rows with room for swscale to write past their end
};

// Rotates an image clockwise by 90, 180 or 270 degrees (0 returns it unchanged).
image::Image rotate(image::Image image, int rotation);

}  // namespace tiny::video
