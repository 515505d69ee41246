#pragma once
// Decoded FFmpeg frames to tiny images: RGB conversion, rotation and downscaling.
#include "image/image.hpp"

struct AVFrame;

namespace tiny::video {

// Converts a decoded frame to RGB, scaled so its longer side is at most max_side (0: full size),
// then rotated clockwise by `rotation` degrees (0, 90, 180, 270).
image::Image to_image(const AVFrame* frame, int rotation, int max_side = 0);
// Rotates an image clockwise by 90, 180 or 270 degrees (0 returns it unchanged).
image::Image rotate(const image::Image& image, int rotation);
// A small gray thumbnail (width x height bytes) of a decoded frame, for scene-change detection.
std::vector<uint8_t> gray_thumbnail(const AVFrame* frame, int width, int height);

}  // namespace tiny::video
