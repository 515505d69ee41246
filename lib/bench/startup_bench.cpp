#include "bench/startup_bench.hpp"

#include "bench/command_timing.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/process.hpp"
#include "core/scratch_dir.hpp"
#include "image/encode.hpp"
#include "image/image.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

namespace tiny::bench {

using namespace image;

namespace {

// A 64x48 gradient, written as PNG.
void write_test_png(const std::string& path) {
  Image img = Image::blank(64, 48);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      uint8_t* p = &img.pixels[(size_t(y) * img.width + x) * 3];
      p[0] = uint8_t(x * 4), p[1] = uint8_t(y * 5), p[2] = uint8_t((x + y) * 2);
    }
  write_image(path, img, true);
}

nlohmann::json timing_json(const CommandTiming& t) {
  return {{"median_ms", t.median_ms}, {"min_ms", t.min_ms}, {"cpu_ms", t.cpu_ms}, {"peak_mb", t.peak_mb},
          {"exit_code", t.exit_code}};
}

// Encodes a 2 s 320x240 H.264 clip (30 fps, a key frame a second) with the ffmpeg tool.
void write_test_clip(const std::string& path) {
  const std::string command = "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=320x240:rate=30 -t 2 "
                              "-c:v libx264 -preset veryfast -g 30 -pix_fmt yuv420p " + shell_quote(path);
  if (run_command(command).exit_code != 0) throw Error("bench: the ffmpeg command cannot encode a test clip");
}

}  // namespace

nlohmann::json bench_startup(const std::string& tiny_exe, int runs) {
  if (std::system("ffprobe -version >/dev/null 2>&1") != 0) throw Error("bench: the ffprobe command is not installed");
  ScratchDir tmp("tiny-bench-startup");
  const std::string png = tmp.file("small.png"), png2 = tmp.file("small2.png"), list = tmp.file("list.txt");
  const std::string clip = tmp.file("clip.mp4");
  write_test_png(png);
  write_test_png(png2);
  write_file_atomic(list, "file://" + png + "\nfile://" + png2 + "\n", true);
  write_test_clip(clip);
  const std::string tic = tmp.file("small.tic");
  if (run_command(shell_quote(tiny_exe) + " -q compress " + shell_quote(png) + " -o " + shell_quote(tic)).exit_code != 0)
    throw Error("bench: tiny compress cannot code the test image with the default model");
  struct Case {
    std::string name, baseline_name;
    std::vector<std::string> tiny, baseline;
  };
  const std::vector<std::string> ffprobe_png{"ffprobe", "-hide_banner", png};
  const std::vector<Case> cases{
      {"tiny --version", "ffprobe -version", {tiny_exe, "--version"}, {"ffprobe", "-version"}},
      {"tiny info small.png", "ffprobe small.png", {tiny_exe, "info", png}, ffprobe_png},
      {"tiny ingest list.txt (2 file:// PNGs)", "ffprobe small.png",
       {tiny_exe, "ingest", list, "-o", tmp.file("shards"), "--size", "32", "--force"}, ffprobe_png},
      {"tiny frames --keyframes clip.mp4 (2 s, 320x240)", "ffprobe clip.mp4",
       {tiny_exe, "frames", "--keyframes", clip, "-o", tmp.file("frames"), "--force"},
       {"ffprobe", "-hide_banner", clip}},
      {"tiny decompress small.tic (default model)", "ffprobe small.png",
       {tiny_exe, "decompress", tic, "-o", tmp.file("decoded.png"), "--force"}, ffprobe_png},
      {"tiny compress --help (loads libtorch)", "ffprobe small.png", {tiny_exe, "compress", "--help"}, ffprobe_png},
  };
  nlohmann::json rows = nlohmann::json::array();
  for (const Case& c : cases) {
    const CommandTiming tiny = time_command(c.tiny, runs);
    const CommandTiming base = time_command(c.baseline, runs);
    if (tiny.exit_code != 0) throw Error(fmt::format("bench: '{}' exited with {}", c.name, tiny.exit_code));
    rows.push_back({{"command", c.name},
                    {"runs", runs},
                    {"tiny", timing_json(tiny)},
                    {"baseline", c.baseline_name},
                    {"baseline_timing", timing_json(base)},
                    {"ratio", base.median_ms / tiny.median_ms},
                    {"cpu_ratio", base.cpu_ms / tiny.cpu_ms}});
  }
  return rows;
}

}  // namespace tiny::bench
