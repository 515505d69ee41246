// The entry point of libtiny_video_commands.so: the commands and services that decode video.
#include "commands.hpp"
#include "video/describe.hpp"
#include "video_plugin.hpp"

namespace {

void register_video_commands(tiny::cli::Cli& cli) {
  tiny::cli::register_frames(cli);
  tiny::cli::register_bench_frames(cli);
}

tiny::cli::VideoDescription describe(const std::string& source, const std::string& path, bool count) {
  const tiny::video::VideoInfo info = tiny::video::probe_video(source, count);
  return {tiny::video::video_json(path, info), tiny::video::video_table_row(path, info), info.damage};
}

}  // namespace

extern "C" const tiny::cli::VideoPlugin* tiny_video_plugin() {
  static const tiny::cli::VideoPlugin plugin{&register_video_commands, &tiny::video::is_video,
                                             &tiny::video::video_table_headers, &describe};
  return &plugin;
}
