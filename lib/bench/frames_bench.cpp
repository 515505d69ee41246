#include "bench/frames_bench.hpp"

#include "bench/command_timing.hpp"
#include "core/error.hpp"
#include "core/scratch_dir.hpp"
#include "core/stopwatch.hpp"
#include "image/decode.hpp"
#include "video/av_input.hpp"
#include "video/frames.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace tiny::bench {

using namespace video;

namespace {

namespace fs = std::filesystem;

// Runs a command quietly `runs` times and returns its shortest wall time in seconds; throws Error if it
// fails.
double fastest_seconds(const std::vector<std::string>& argv, int runs = 1) {
  const CommandTiming t = time_command(argv, runs);
  if (t.exit_code != 0) throw Error(fmt::format("bench: command failed: {}", fmt::join(argv, " ")));
  return t.min_ms / 1000;
}

// The same for a /bin/sh command line.
double time_shell(const std::string& command) { return fastest_seconds({"/bin/sh", "-c", command}); }

// One side's run: its wall time and the image files it wrote, in frame order.
struct Run {
  double seconds = 0;
  std::vector<std::string> files;
  size_t frames = 0;
};

uintmax_t total_bytes(const Run& run) {
  uintmax_t n = 0;
  for (const auto& f : run.files) n += fs::file_size(f);
  return n;
}

Run time_tiny(const std::string& video, FramesOptions o, const fs::path& out) {
  fs::create_directories(out);
  o.out_dir = out.string();
  o.format = "png";
  Stopwatch start;
  VideoFrames r = extract_to_files(video, o);
  Run run{start.seconds(), {}, r.frames.size()};
  for (const auto& f : r.frames) run.files.push_back(f.file);
  return run;
}

// Times `ffmpeg INPUT_FLAGS -i VIDEO OUTPUT_FLAGS OUT/f%d.png`.
Run time_ffmpeg(const std::string& input_flags, const std::string& video, const std::string& output_flags,
                const fs::path& out) {
  fs::create_directories(out);
  Run run;
  run.seconds = time_shell(fmt::format("ffmpeg -nostdin -y {} -i '{}' {} '{}/f%d.png'", input_flags, video,
                                         output_flags, out.string()));
  for (int i = 1; fs::exists(out / fmt::format("f{}.png", i)); ++i) run.files.push_back((out / fmt::format("f{}.png", i)).string());
  run.frames = run.files.size();
  return run;
}

// True if both runs wrote the same number of pictures with identical pixels, in order.
bool same_pictures(const Run& a, const Run& b) {
  if (a.files.size() != b.files.size()) return false;
  for (size_t i = 0; i < a.files.size(); ++i) {
    image::Image x = image::read_image(a.files[i]), y = image::read_image(b.files[i]);
    if (x.width != y.width || x.height != y.height || x.pixels != y.pixels) return false;
  }
  return true;
}

// Encodes a testsrc2 clip (30 fps, H.264, GOP 60, 2 B-frames) with the ffmpeg tool.
void make_clip(const std::string& path, const std::string& size, int seconds) {
  time_shell(fmt::format("ffmpeg -nostdin -y -f lavfi -i testsrc2=size={}:rate=30 -t {} -c:v libx264 -preset veryfast "
                           "-g 60 -bf 2 -pix_fmt yuv420p '{}'", size, seconds, path));
}

// The shortest of three starts of a tiny frames command (`tiny frames --help`: the binary, the video
// plugin and FFmpeg loaded, no work).
double startup_seconds(const std::string& tiny_exe) {
  return fastest_seconds({tiny_exe, "frames", "--help"}, 3);
}

}  // namespace

nlohmann::json bench_frames(bool quick, const std::string& tiny_exe) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) throw Error("bench: the ffmpeg command is not installed");
  ScratchDir tmp("tiny-bench-frames");
  std::string size = quick ? "640x360" : "1920x1080";
  int duration = quick ? 4 : 20;
  std::string video = (tmp.path() / "clip.mp4").string();
  make_clip(video, size, duration);
  // --indices is measured on a long clip: 10 frames spread over 2 minutes (quick: the same clip).
  std::string long_video = quick ? video : (tmp.path() / "long.mp4").string();
  if (!quick) make_clip(long_video, "640x360", 120);
  nlohmann::json startup = tiny_exe.empty() ? nlohmann::json() : nlohmann::json(startup_seconds(tiny_exe));

  nlohmann::json results = nlohmann::json::array();
  // compare: whether both sides write the same frames, so that their pixels must be identical.
  auto add = [&](const std::string& name, const std::string& baseline, const Run& tiny, const Run& base, bool compare) {
    nlohmann::json r = {{"case", name}, {"baseline", baseline}, {"tiny_s", tiny.seconds},
                        {"baseline_s", base.seconds}, {"tiny_frames", tiny.frames},
                        {"baseline_frames", base.frames}, {"tiny_bytes", total_bytes(tiny)},
                        {"baseline_bytes", total_bytes(base)},
                        {"speedup", base.seconds / std::max(tiny.seconds, 1e-9)},
                        {"identical", compare ? nlohmann::json(same_pictures(tiny, base)) : nlohmann::json()}};
    if (!startup.is_null()) r["speedup_with_start"] = base.seconds / (tiny.seconds + startup.get<double>());
    results.push_back(r);
  };

  Run ff_fps = time_ffmpeg("", video, "-vf fps=1", tmp.path() / "ffmpeg_fps1");
  FramesOptions fps1;
  fps1.sampling.fps = 1;
  add("--fps 1", "ffmpeg -vf fps=1", time_tiny(video, fps1, tmp.path() / "tiny_fps1"), ff_fps, true);

  FramesOptions keys;
  keys.keyframes = true;
  Run tiny_keys = time_tiny(video, keys, tmp.path() / "tiny_keys");
  add("--keyframes", "ffmpeg -vf fps=1", tiny_keys, ff_fps, false);
  Run ff_keys = time_ffmpeg("-skip_frame nokey", video, "-fps_mode passthrough", tmp.path() / "ffmpeg_keys");
  add("--keyframes", "ffmpeg -skip_frame nokey", tiny_keys, ff_keys, true);

  Run full;
  full.seconds = time_shell(fmt::format("ffmpeg -nostdin -i '{}' -f null -", long_video));
  full.frames = static_cast<size_t>(AvInput(long_video).stream()->nb_frames);
  FramesOptions spread;
  spread.sampling.uniform = 10;
  add("--uniform 10 (exact indices)", "ffmpeg full decode", time_tiny(long_video, spread, tmp.path() / "tiny_idx"),
      full, false);
  return {{"video", fmt::format("H.264 {} {} s 30 fps, GOP 60", size, duration)},
          {"indices_video", quick ? "the same clip" : "H.264 640x360 120 s 30 fps, GOP 60"},
          {"output", "PNG on both sides"},
          {"tiny_startup_s", startup},
          {"results", results}};
}

}  // namespace tiny::bench
