#pragma once
// An opened video file: the demuxer, its best video stream and a decoder for it (FFmpeg).
#include "video/hwaccel.hpp"

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace tiny::video {

// Returns FFmpeg's text for an error code.
std::string av_error_text(int code);

class AvInput {
public:
  // Opens path and its best video stream; throws Error naming the file if it has none or it
  // cannot be decoded, or if it is a playlist, manifest or session description (which would open
  // other files or the network). threads: decoder threads (0: FFmpeg's choice); hwaccel: decode on a device
  // when one can be had (see attach_hwaccel).
  explicit AvInput(const std::string& path, int threads = 0, HwAccel hwaccel = HwAccel::none);
  ~AvInput();
  AvInput(const AvInput&) = delete;
  AvInput& operator=(const AvInput&) = delete;

  // The file's path, for messages.
  const std::string& path() const { return path_; }
  // The demuxer.
  AVFormatContext* format() const { return format_; }
  // The chosen video stream and its index.
  AVStream* stream() const { return format_->streams[stream_index_]; }
  int stream_index() const { return stream_index_; }
  // The opened decoder of the video stream.
  AVCodecContext* decoder() const { return decoder_; }
  // Clockwise rotation in degrees (0, 90, 180, 270) that the display matrix asks for.
  int rotation() const;
  // Reads the next packet of the video stream; false at the end of the file, or where the file is
  // damaged or cut short (read_error() then says why: the packets before were good).
  bool read_packet(AVPacket* packet);
  // Why the last read_packet() stopped before the end of the file, or "".
  const std::string& read_error() const { return read_error_; }

private:
  std::string path_;
  AVFormatContext* format_ = nullptr;
  AVCodecContext* decoder_ = nullptr;
  int stream_index_ = -1;
  std::string read_error_;
};

}  // namespace tiny::video
