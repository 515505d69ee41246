#include "video/hwaccel.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "video/av_input.hpp"

extern "C" {
#include <libavutil/hwcontext.h>
}

#include <cstdint>
#include <mutex>
#include <set>
#include <vector>

namespace tiny::video {
namespace {

// The device types tried for each choice, in order.
std::vector<AVHWDeviceType> device_types(HwAccel hwaccel) {
  if (hwaccel == HwAccel::none) return {};
  return {AV_HWDEVICE_TYPE_CUDA};
}

// The pixel format the codec decodes to on a device of this type, or AV_PIX_FMT_NONE.
AVPixelFormat device_format(const AVCodec* codec, AVHWDeviceType type) {
  for (int i = 0;; ++i) {
    const AVCodecHWConfig* config = avcodec_get_hw_config(codec, i);
    if (!config) return AV_PIX_FMT_NONE;
    if ((config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) && config->device_type == type) {
      return config->pix_fmt;
    }
  }
}

// The decoder's get_format callback: the device format kept in `opaque` when the decoder offers it
// for this stream, else FFmpeg's software choice.
AVPixelFormat pick_device_format(AVCodecContext* decoder, const AVPixelFormat* formats) {
  auto wanted = static_cast<AVPixelFormat>(reinterpret_cast<intptr_t>(decoder->opaque));
  for (const AVPixelFormat* f = formats; *f != AV_PIX_FMT_NONE; ++f) {
    if (*f == wanted) return *f;
  }
  return avcodec_default_get_format(decoder, formats);
}

// Device types whose device could not be created; tried once per process.
std::mutex failed_mutex;
std::set<AVHWDeviceType> failed_types;

}  // namespace

HwAccel parse_hwaccel(const std::string& name) {
  if (name == "none") return HwAccel::none;
  if (name == "auto") return HwAccel::automatic;
  if (name == "cuda") return HwAccel::cuda;
  throw UsageError("unknown hardware decoder '" + name + "' (expected auto, none or cuda)");
}

void attach_hwaccel(AVCodecContext* decoder, const AVCodec* codec, HwAccel hwaccel, const std::string& path) {
  for (AVHWDeviceType type : device_types(hwaccel)) {
    const char* name = av_hwdevice_get_type_name(type);
    AVPixelFormat format = device_format(codec, type);
    if (format == AV_PIX_FMT_NONE) {
      log::debug("{}: FFmpeg has no {} decoder for {}; decoding in software", path, name, codec->name);
      continue;
    }
    std::lock_guard<std::mutex> lock(failed_mutex);
    if (failed_types.count(type)) continue;
    AVBufferRef* device = nullptr;
    int err = av_hwdevice_ctx_create(&device, type, nullptr, nullptr, 0);
    if (err < 0) {
      failed_types.insert(type);
      log::debug("cannot create a {} device (FFmpeg: {}); decoding in software", name, av_error_text(err));
      continue;
    }
    decoder->hw_device_ctx = device;
    decoder->opaque = reinterpret_cast<void*>(static_cast<intptr_t>(format));
    decoder->get_format = pick_device_format;
    return;
  }
}

std::string decoded_on(const AVFrame* frame) {
  if (!frame->hw_frames_ctx) return "software";
  const auto* frames = reinterpret_cast<const AVHWFramesContext*>(frame->hw_frames_ctx->data);
  return av_hwdevice_get_type_name(frames->device_ctx->type);
}

const AVFrame* in_memory(const AVFrame* frame, AVFrame* download) {
  if (!frame->hw_frames_ctx) return frame;
  av_frame_unref(download);
  int err = av_hwframe_transfer_data(download, frame, 0);
  if (err >= 0) err = av_frame_copy_props(download, frame);
  if (err < 0) throw Error("cannot copy a decoded frame from the device: " + av_error_text(err));
  return download;
}

}  // namespace tiny::video
