#pragma once
// Hardware decoding through FFmpeg's hwaccel API (NVDEC through CUDA), falling back to software
// decoding when FFmpeg, the codec or the machine does not offer it.
#include <string>

struct AVCodec;
struct AVCodecContext;
struct AVFrame;

namespace tiny::video {

enum class HwAccel {
  none,       // software decoding
  automatic,  // the first device that works (CUDA), else software
  cuda,       // CUDA (NVDEC), else software
};

// Parses "auto", "none" or "cuda"; throws UsageError for anything else.
HwAccel parse_hwaccel(const std::string& name);
// Attaches a hardware device to a decoder before avcodec_open2 if `hwaccel` asks for one, FFmpeg
// offers it for the codec and a device can be created; otherwise leaves the decoder in software
// (saying why once per process at verbose level). `path` names the video in that message.
void attach_hwaccel(AVCodecContext* decoder, const AVCodec* codec, HwAccel hwaccel, const std::string& path);
// Where a decoded frame was decoded: "software", or the device type ("cuda").
std::string decoded_on(const AVFrame* frame);
// The frame in system memory: `frame` itself, or its picture copied from the device into `download`.
// Throws Error if the copy fails.
const AVFrame* in_memory(const AVFrame* frame, AVFrame* download);

}  // namespace tiny::video
