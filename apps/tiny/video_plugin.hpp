#pragma once
// The video commands and services (frames, bench frames, tiny info's video probe) live in a plugin,
// libtiny_video_commands.so beside the binary, built on libtiny_video and FFmpeg. The binary loads it
// only when a command needs it, so that the other commands start without mapping FFmpeg (plugins.hpp).
#include "cli.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::cli {

// A video as tiny info shows it.
struct VideoDescription {
  nlohmann::json json;            // the file, "type": "video" and every probed field
  std::vector<std::string> row;   // its row of the video table
  std::string damage;             // non-empty when the counts describe only part of the video
};

// What the plugin provides; its entry point `tiny_video_plugin` returns one.
struct VideoPlugin {
  void (*register_commands)(Cli& cli);                  // adds its commands, as main() adds the binary's own
  bool (*is_video)(const std::string& path);            // FFmpeg opens it as a video (not a still image)
  std::vector<std::string> (*table_headers)();          // the columns of the video table
  VideoDescription (*describe)(const std::string& source, const std::string& path, bool count);  // probes `source`
};

// Loads the plugin on first use (from the folder of the running binary); throws Error naming the file
// when it cannot be loaded.
const VideoPlugin& video_plugin();

}  // namespace tiny::cli
