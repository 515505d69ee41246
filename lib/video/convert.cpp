#include "video/convert.hpp"

#include "core/error.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>

namespace tiny::video {
namespace {

// swscale's coefficients for a frame's colour matrix, chosen as ffmpeg's scale filter does with its
// default in_color_matrix=auto (unknown and unsupported matrices: BT.601).
const int* yuv_coefficients(AVColorSpace colorspace) {
  if (colorspace < 1 || colorspace > 10 || colorspace == 8) colorspace = AVCOL_SPC_BT470BG;
  return sws_getCoefficients(colorspace);
}

}  // namespace

FrameConverter::~FrameConverter() { sws_freeContext(sws_); }

void FrameConverter::scale(const AVFrame* frame, int width, int height, int format, int channels, uint8_t* out) {
  // SWS_BICUBIC alone is what the ffmpeg tool passes to the scale filters it inserts; without
  // SWS_ACCURATE_RND swscale may take its fast unscaled YUV to RGB path, as the tool does.
  sws_ = sws_getCachedContext(sws_, frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), width,
                              height, static_cast<AVPixelFormat>(format), SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (!sws_) throw Error("cannot convert video frame of pixel format " + std::to_string(frame->format));
  // The colour matrix and input range of the frame, as ffmpeg's scale filter sets them per frame.
  int* inv_table = nullptr;
  int* table = nullptr;
  int src_full = 0, dst_full = 0, brightness = 0, contrast = 0, saturation = 0;
  sws_getColorspaceDetails(sws_, &inv_table, &src_full, &table, &dst_full, &brightness, &contrast, &saturation);
  const int* coefficients = yuv_coefficients(frame->colorspace);
  if (frame->color_range != AVCOL_RANGE_UNSPECIFIED) src_full = frame->color_range == AVCOL_RANGE_JPEG;
  sws_setColorspaceDetails(sws_, coefficients, src_full, coefficients, dst_full, brightness, contrast, saturation);
  // swscale's SIMD converters write whole blocks of 8 or 16 pixels, past the end of a row whose width
  // is not a multiple of 16: such rows go through a padded buffer (as FFmpeg's frame buffers are).
  int row = width * channels;
  bool direct = width % 16 == 0;
  int stride = direct ? row : (row + 127) / 64 * 64;
  if (!direct) padded_.resize(static_cast<size_t>(stride) * height);
  uint8_t* planes[4] = {direct ? out : padded_.data(), nullptr, nullptr, nullptr};
  int strides[4] = {stride, 0, 0, 0};
  sws_scale(sws_, frame->data, frame->linesize, 0, frame->height, planes, strides);
  if (!direct) av_image_copy_plane(out, row, padded_.data(), stride, row, height);
}

image::Image FrameConverter::to_image(const AVFrame* frame, int rotation, int max_side) {
  int width = frame->width, height = frame->height;
  int longer = std::max(width, height);
  if (max_side > 0 && longer > max_side) {
    double f = static_cast<double>(max_side) / longer;
    width = std::max(1, static_cast<int>(std::lround(width * f)));
    height = std::max(1, static_cast<int>(std::lround(height * f)));
  }
  image::Image out = image::Image::blank(width, height);
  scale(frame, width, height, AV_PIX_FMT_RGB24, 3, out.pixels.data());
  return rotate(std::move(out), rotation);
}

std::vector<uint8_t> FrameConverter::gray_thumbnail(const AVFrame* frame, int width, int height) {
  std::vector<uint8_t> out(static_cast<size_t>(width) * height);
  scale(frame, width, height, AV_PIX_FMT_GRAY8, 1, out.data());
  return out;
}

image::Image rotate(image::Image src, int rotation) {
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

}  // namespace tiny::video
