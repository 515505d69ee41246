#include "video/bench.hpp"

#include "core/error.hpp"
#include "core/scratch_dir.hpp"
#include "video/av_input.hpp"
#include "video/frames.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace tiny::video {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs a shell command quietly and returns its wall time in seconds; throws Error if it fails.
double time_command(const std::string& command) {
  auto start = std::chrono::steady_clock::now();
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) throw Error("bench: command failed: " + command);
  return seconds_since(start);
}

struct TinyRun {
  double seconds = 0;
  size_t frames = 0;
};

TinyRun time_tiny(const std::string& video, FramesOptions o, const fs::path& out) {
  fs::create_directories(out);
  o.out_dir = out.string();
  o.format = "png";
  auto start = std::chrono::steady_clock::now();
  VideoFrames r = extract_to_files(video, o);
  return {seconds_since(start), r.frames.size()};
}

// Encodes a testsrc2 clip (30 fps, H.264, GOP 60, 2 B-frames) with the ffmpeg tool.
void make_clip(const std::string& path, const std::string& size, int seconds) {
  time_command(fmt::format("ffmpeg -nostdin -y -f lavfi -i testsrc2=size={}:rate=30 -t {} -c:v libx264 -preset veryfast "
                           "-g 60 -bf 2 -pix_fmt yuv420p '{}'", size, seconds, path));
}

size_t count_files(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.is_regular_file();
  return n;
}

}  // namespace

nlohmann::json bench_frames(bool quick) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) throw Error("bench: the ffmpeg command is not installed");
  ScratchDir tmp("tiny-bench-frames");
  std::string size = quick ? "640x360" : "1920x1080";
  int duration = quick ? 4 : 20;
  std::string video = (tmp.path() / "clip.mp4").string();
  make_clip(video, size, duration);
  // --indices is measured on a long clip: 10 frames spread over 2 minutes (quick: the same clip).
  std::string long_video = quick ? video : (tmp.path() / "long.mp4").string();
  if (!quick) make_clip(long_video, "640x360", 120);

  nlohmann::json results = nlohmann::json::array();
  auto add = [&](const std::string& name, const std::string& baseline, TinyRun tiny, double base_s, size_t base_frames) {
    results.push_back({{"case", name}, {"baseline", baseline}, {"tiny_s", tiny.seconds}, {"baseline_s", base_s},
                       {"tiny_frames", tiny.frames}, {"baseline_frames", base_frames},
                       {"speedup", base_s / std::max(tiny.seconds, 1e-9)}});
  };

  fs::path ff_dir = tmp.path() / "ffmpeg_fps1";
  fs::create_directories(ff_dir);
  double ff_fps = time_command(fmt::format("ffmpeg -nostdin -y -i '{}' -vf fps=1 '{}/f%d.png'", video, ff_dir.string()));
  size_t ff_frames = count_files(ff_dir);

  FramesOptions fps1;
  fps1.sampling.fps = 1;
  add("--fps 1 (PNG)", "ffmpeg -vf fps=1", time_tiny(video, fps1, tmp.path() / "tiny_fps1"), ff_fps, ff_frames);

  FramesOptions keys;
  keys.keyframes = true;
  add("--keyframes (PNG)", "ffmpeg -vf fps=1", time_tiny(video, keys, tmp.path() / "tiny_keys"), ff_fps, ff_frames);

  double full = time_command(fmt::format("ffmpeg -nostdin -i '{}' -f null -", long_video));
  FramesOptions spread;
  spread.sampling.uniform = 10;
  AvInput input(long_video);
  size_t total = static_cast<size_t>(input.stream()->nb_frames);
  add("--uniform 10 (exact indices, PNG)", "ffmpeg full decode",
      time_tiny(long_video, spread, tmp.path() / "tiny_idx"), full, total);
  return {{"video", fmt::format("H.264 {} {} s 30 fps, GOP 60", size, duration)},
          {"indices_video", quick ? "the same clip" : "H.264 640x360 120 s 30 fps, GOP 60"},
          {"results", results}};
}

}  // namespace tiny::video
