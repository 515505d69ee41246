#include "video/av_input.hpp"

#include "core/error.hpp"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/mem.h>
}

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

namespace tiny::video {
namespace {

// Demuxers that open further files or network streams named inside the input (playlists, manifests,
// session descriptions): with them a hostile "video" could make tiny read any video on the machine.
constexpr std::string_view kRefusedDemuxers[] = {"concat", "dash", "hls", "imf", "rtsp", "sap", "sdp"};

// FFmpeg's largest single allocation (its default is 2 GB, which a 2 KB file's atom sizes can ask for):
// room for one 8K frame of 16-bit RGB.
constexpr size_t kMaxAvAllocation = size_t(256) << 20;

// Every other demuxer FFmpeg has, comma-separated (the format_whitelist of every input).
const std::string& allowed_demuxers() {
  static const std::string names = [] {
    std::string out;
    void* it = nullptr;
    while (const AVInputFormat* f = av_demuxer_iterate(&it)) {
      if (std::find(std::begin(kRefusedDemuxers), std::end(kRefusedDemuxers), f->name) != std::end(kRefusedDemuxers))
        continue;
      if (!out.empty()) out += ',';
      out += f->name;
    }
    return out;
  }();
  return names;
}

}  // namespace

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof(text));
  return text;
}

AvInput::AvInput(const std::string& path, int threads, HwAccel hwaccel) : path_(path) {
  av_log_set_level(AV_LOG_QUIET);
  av_max_alloc(kMaxAvAllocation);
  // Local files only, read by the demuxers that stay inside them.
  AVDictionary* options = nullptr;
  av_dict_set(&options, "format_whitelist", allowed_demuxers().c_str(), 0);
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  int err = avformat_open_input(&format_, path.c_str(), nullptr, &options);
  av_dict_free(&options);
  if (err < 0) throw Error(file_error(path, "cannot open video: " + av_error_text(err)));
  try {
    err = avformat_find_stream_info(format_, nullptr);
    if (err < 0) throw Error(file_error(path, "cannot read stream info: " + av_error_text(err)));
    stream_index_ = av_find_best_stream(format_, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream_index_ < 0) throw Error(file_error(path, "no video stream"));
    const AVCodec* codec = avcodec_find_decoder(stream()->codecpar->codec_id);
    if (!codec) {
      throw Error(file_error(path, std::string("no decoder for video codec ") +
                                       avcodec_get_name(stream()->codecpar->codec_id)));
    }
    decoder_ = avcodec_alloc_context3(codec);
    if (!decoder_) throw Error(file_error(path, "out of memory"));
    avcodec_parameters_to_context(decoder_, stream()->codecpar);
    decoder_->pkt_timebase = stream()->time_base;
    decoder_->thread_count = threads;
    decoder_->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    attach_hwaccel(decoder_, codec, hwaccel, path);
    err = avcodec_open2(decoder_, codec, nullptr);
    if (err < 0) throw Error(file_error(path, "cannot open decoder: " + av_error_text(err)));
  } catch (...) {
    avcodec_free_context(&decoder_);
    avformat_close_input(&format_);
    throw;
  }
}

AvInput::~AvInput() {
  avcodec_free_context(&decoder_);
  avformat_close_input(&format_);
}

int AvInput::rotation() const {
  const uint8_t* matrix = av_stream_get_side_data(stream(), AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (!matrix) return 0;
  double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(ccw)) return 0;
  int cw = static_cast<int>(std::lround(-ccw / 90.0)) * 90;
  return ((cw % 360) + 360) % 360;
}

bool AvInput::read_packet(AVPacket* packet) {
  read_error_.clear();
  while (true) {
    int err = av_read_frame(format_, packet);
    if (err == AVERROR_EOF) return false;
    if (err < 0) {
      read_error_ = "cannot read packet: " + av_error_text(err);
      return false;
    }
    if (packet->stream_index == stream_index_) return true;
    av_packet_unref(packet);
  }
}

}  // namespace tiny::video
