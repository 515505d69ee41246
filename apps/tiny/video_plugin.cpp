#include "video_plugin.hpp"

#include "plugins.hpp"

namespace tiny::cli {

const VideoPlugin& video_plugin() {
  static const VideoPlugin* plugin =
      static_cast<const VideoPlugin*>(load_plugin("libtiny_video_commands.so", "tiny_video_plugin"));
  return *plugin;
}

}  // namespace tiny::cli
