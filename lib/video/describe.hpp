#pragma once
// VideoInfo as JSON and as table rows (what `tiny info` prints for videos).
#include "video/probe.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::video {

// A JSON object with the file, "type": "video" and every field of info.
nlohmann::json video_json(const std::string& path, const VideoInfo& info);
// Column headers of the video table.
std::vector<std::string> video_table_headers();
// One table row per video, matching video_table_headers().
std::vector<std::string> video_table_row(const std::string& path, const VideoInfo& info);

}  // namespace tiny::video
