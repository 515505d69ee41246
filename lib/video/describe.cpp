#include "video/describe.hpp"

#include <fmt/format.h>

namespace tiny::video {
namespace {

std::string count_text(int64_t n) { return n < 0 ? "?" : std::to_string(n); }

}  // namespace

nlohmann::json video_json(const std::string& path, const VideoInfo& info) {
  nlohmann::json streams = nlohmann::json::array();
  for (const auto& s : info.streams) streams.push_back({{"index", s.index}, {"type", s.type}, {"codec", s.codec}});
  auto optional = [](int64_t n) { return n < 0 ? nlohmann::json() : nlohmann::json(n); };
  return {{"file", path},
          {"type", "video"},
          {"container", info.container},
          {"duration", info.duration},
          {"streams", streams},
          {"codec", info.codec},
          {"width", info.width},
          {"height", info.height},
          {"rotation", info.rotation},
          {"avg_fps", info.avg_fps},
          {"real_fps", info.real_fps},
          {"frames", optional(info.frames)},
          {"key_frames", optional(info.key_frames)},
          {"counted", info.counted},
          {"damage", info.damage.empty() ? nlohmann::json() : nlohmann::json(info.damage)}};
}

std::vector<std::string> video_table_headers() {
  return {"file", "container", "codec", "size", "duration", "avg fps", "real fps", "frames", "key frames",
          "rotation", "streams"};
}

std::vector<std::string> video_table_row(const std::string& path, const VideoInfo& info) {
  return {path,
          info.container.substr(0, info.container.find(',')),
          info.codec,
          fmt::format("{}x{}", info.width, info.height),
          fmt::format("{:.3f}", info.duration),
          fmt::format("{:.3f}", info.avg_fps),
          fmt::format("{:.3f}", info.real_fps),
          count_text(info.frames),
          count_text(info.key_frames),
          std::to_string(info.rotation),
          std::to_string(info.streams.size())};
}

}  // namespace tiny::video
