#include "video_fixtures.hpp"

#include <stdexcept>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace tiny::test {
namespace {

constexpr int kBits = 8;

void check(int err, const char* what) {
  if (err < 0) throw std::runtime_error(std::string("test video: ") + what + " failed");
}

// Writes the encoder's pending packets; duration(pts) gives each frame's duration in encoder units.
template <typename Duration>
void write_packets(AVCodecContext* enc, AVFormatContext* out, AVStream* stream, AVPacket* packet,
                   const Duration& duration) {
  while (avcodec_receive_packet(enc, packet) == 0) {
    packet->duration = duration(packet->pts);
    av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
    packet->stream_index = stream->index;
    check(av_interleaved_write_frame(out, packet), "write packet");
  }
}

}  // namespace

image::Image counter_frame(int width, int height, int number) {
  image::Image img = image::Image::blank(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t v = 128;
      if (y < height / 2) {
        int bit = x * kBits / width;
        v = (number >> (kBits - 1 - bit)) & 1 ? 255 : 0;
      }
      uint8_t* p = img.at(x, y);
      p[0] = p[1] = p[2] = v;
    }
  }
  return img;
}

int read_counter(const image::Image& img) {
  int number = 0;
  for (int bit = 0; bit < kBits; ++bit) {
    int x = (2 * bit + 1) * img.width / (2 * kBits);
    const uint8_t* p = img.at(x, img.height / 4);
    number = number * 2 + (p[1] > 128 ? 1 : 0);
  }
  return number;
}

VideoSpec h264_clip(int frames, int gop, int b_frames) {
  VideoSpec spec;
  spec.frames = frames;
  spec.gop = gop;
  spec.b_frames = b_frames;
  return spec;
}

void write_test_video(const std::string& path, const VideoSpec& spec) {
  av_log_set_level(AV_LOG_QUIET);
  AVFormatContext* out = nullptr;
  check(avformat_alloc_output_context2(&out, nullptr, nullptr, path.c_str()), "output");
  const AVCodec* codec = avcodec_find_encoder_by_name(spec.codec.c_str());
  if (!codec) throw std::runtime_error("test video: no encoder " + spec.codec);
  AVStream* stream = avformat_new_stream(out, nullptr);
  AVCodecContext* enc = avcodec_alloc_context3(codec);
  bool vfr = !spec.pts_ms.empty();
  enc->width = spec.width;
  enc->height = spec.height;
  enc->time_base = vfr ? AVRational{1, 1000} : AVRational{1, spec.fps};
  enc->framerate = {spec.fps, 1};
  enc->gop_size = spec.gop;
  enc->max_b_frames = spec.b_frames;
  enc->pix_fmt = spec.codec == "mjpeg" ? AV_PIX_FMT_YUVJ420P
                 : spec.codec == "ffv1" ? AV_PIX_FMT_YUV444P : AV_PIX_FMT_YUV420P;
  enc->thread_count = 1;
  if (out->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (spec.codec == "libx264") av_opt_set(enc->priv_data, "preset", "ultrafast", 0);
  if (spec.codec == "libx264" && spec.b_frames > 0) av_opt_set(enc->priv_data, "preset", "fast", 0);
  if (spec.codec == "libx264") av_opt_set(enc->priv_data, "crf", "18", 0);
  if (spec.codec == "mpeg4" || spec.codec == "mjpeg") enc->qmax = 4;
  check(avcodec_open2(enc, codec, nullptr), "open encoder");
  check(avcodec_parameters_from_context(stream->codecpar, enc), "parameters");
  stream->time_base = enc->time_base;
  if (spec.display_rotation) {
    auto* matrix = reinterpret_cast<int32_t*>(
        av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
    av_display_rotation_set(matrix, spec.display_rotation);
  }
  if (!(out->oformat->flags & AVFMT_NOFILE)) check(avio_open(&out->pb, path.c_str(), AVIO_FLAG_WRITE), "open file");
  check(avformat_write_header(out, nullptr), "header");

  AVFrame* frame = av_frame_alloc();
  AVPacket* packet = av_packet_alloc();
  frame->width = spec.width;
  frame->height = spec.height;
  frame->format = enc->pix_fmt;
  check(av_frame_get_buffer(frame, 0), "frame buffer");
  SwsContext* sws = sws_getContext(spec.width, spec.height, AV_PIX_FMT_RGB24, spec.width, spec.height,
                                   enc->pix_fmt, SWS_BICUBIC, nullptr, nullptr, nullptr);
  auto duration = [&](int64_t pts) -> int64_t {
    if (!vfr) return 1;
    for (size_t i = 0; i + 1 < spec.pts_ms.size(); ++i) {
      if (spec.pts_ms[i] == pts) return spec.pts_ms[i + 1] - pts;
    }
    return 40;
  };
  for (int i = 0; i < spec.frames; ++i) {
    image::Image img = counter_frame(spec.width, spec.height, i);
    check(av_frame_make_writable(frame), "writable");
    const uint8_t* src[1] = {img.pixels.data()};
    int stride[1] = {spec.width * 3};
    sws_scale(sws, src, stride, 0, spec.height, frame->data, frame->linesize);
    frame->pts = vfr ? spec.pts_ms[i] : i;
    check(avcodec_send_frame(enc, frame), "encode");
    write_packets(enc, out, stream, packet, duration);
  }
  check(avcodec_send_frame(enc, nullptr), "flush");
  write_packets(enc, out, stream, packet, duration);
  check(av_write_trailer(out), "trailer");
  sws_freeContext(sws);
  av_packet_free(&packet);
  av_frame_free(&frame);
  avcodec_free_context(&enc);
  if (!(out->oformat->flags & AVFMT_NOFILE)) avio_closep(&out->pb);
  avformat_free_context(out);
}

}  // namespace tiny::test
