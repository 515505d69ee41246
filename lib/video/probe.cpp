#include "video/probe.hpp"

#include "core/text.hpp"
#include "core/error.hpp"
#include "video/av_input.hpp"
#include "video/frame_index.hpp"

namespace tiny::video {

VideoInfo probe_video(const std::string& path, bool count) {
  AvInput input(path, 1);
  const AVFormatContext* format = input.format();
  const AVStream* stream = input.stream();
  VideoInfo info;
  info.container = format->iformat->name;
  if (format->duration != AV_NOPTS_VALUE) info.duration = format->duration / double(AV_TIME_BASE);
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVCodecParameters* par = format->streams[i]->codecpar;
    const char* type = av_get_media_type_string(par->codec_type);
    info.streams.push_back({static_cast<int>(i), type ? type : "unknown", avcodec_get_name(par->codec_id)});
  }
  info.codec = avcodec_get_name(stream->codecpar->codec_id);
  info.rotation = input.rotation();
  bool swap = info.rotation == 90 || info.rotation == 270;
  info.width = swap ? stream->codecpar->height : stream->codecpar->width;
  info.height = swap ? stream->codecpar->width : stream->codecpar->height;
  info.avg_fps = stream->avg_frame_rate.den ? av_q2d(stream->avg_frame_rate) : 0;
  info.real_fps = stream->r_frame_rate.den ? av_q2d(stream->r_frame_rate) : 0;
  if (stream->nb_frames > 0) info.frames = stream->nb_frames;
  if (count) {
    FrameIndex index = scan_frames(input);
    info.frames = static_cast<int64_t>(index.pts.size());
    info.key_frames = static_cast<int64_t>(index.key_count());
    info.counted = true;
    info.damage = index.damage;
  }
  return info;
}

bool is_video(const std::string& path) {
  try {
    AvInput input(path, 1);
    std::string name = input.format()->iformat->name;
    bool still_image = name == "image2" || ends_with(name, "_pipe");
    return !still_image;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace tiny::video
