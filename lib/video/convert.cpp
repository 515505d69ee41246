#include "video/convert.hpp"

#include "core/error.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>

namespace tiny::video {
namespace {

// Scales a frame with swscale into a packed buffer of the given pixel format.
void scale(const AVFrame* frame, int width, int height, AVPixelFormat format, int channels, uint8_t* out) {
  SwsContext* sws = sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                                   width, height, format, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                   nullptr, nullptr, nullptr);
  if (!sws) throw Error("cannot convert video frame of pixel format " + std::to_string(frame->format));
  uint8_t* planes[4] = {out, nullptr, nullptr, nullptr};
  int strides[4] = {width * channels, 0, 0, 0};
  sws_scale(sws, frame->data, frame->linesize, 0, frame->height, planes, strides);
  sws_freeContext(sws);
}

}  // namespace

image::Image rotate(const image::Image& src, int rotation) {
  if (rotation == 0) return src;
  bool swap = rotation == 90 || rotation == 270;
  image::Image dst = image::Image::blank(swap ? src.height : src.width, swap ? src.width : src.height);
  for (int y = 0; y < dst.height; ++y) {
    for (int x = 0; x < dst.width; ++x) {
      int sx = x, sy = y;
      if (rotation == 90) sx = y, sy = src.height - 1 - x;
      if (rotation == 180) sx = src.width - 1 - x, sy = src.height - 1 - y;
      if (rotation == 270) sx = src.width - 1 - y, sy = x;
      std::copy_n(src.at(sx, sy), 3, dst.at(x, y));
    }
  }
  return dst;
}

image::Image to_image(const AVFrame* frame, int rotation, int max_side) {
  int width = frame->width, height = frame->height;
  int longer = std::max(width, height);
  if (max_side > 0 && longer > max_side) {
    double f = static_cast<double>(max_side) / longer;
    width = std::max(1, static_cast<int>(std::lround(width * f)));
    height = std::max(1, static_cast<int>(std::lround(height * f)));
  }
  image::Image out = image::Image::blank(width, height);
  scale(frame, width, height, AV_PIX_FMT_RGB24, 3, out.pixels.data());
  return rotate(out, rotation);
}

std::vector<uint8_t> gray_thumbnail(const AVFrame* frame, int width, int height) {
  std::vector<uint8_t> out(static_cast<size_t>(width) * height);
  scale(frame, width, height, AV_PIX_FMT_GRAY8, 1, out.data());
  return out;
}

}  // namespace tiny::video
