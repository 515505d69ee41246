// tiny frames VIDEO... -o OUTDIR: extract frames of videos as images or WebDataset shards, with a JSON index.
#include "commands.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_output.hpp"
#include "video/frames.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace tiny::cli {
namespace {

struct FramesCliOptions {
  std::vector<std::string> videos;
  std::string out_dir, format = "jpg", index_file, fps_round = "near", hwaccel = "none";
  size_t every = 0, uniform = 0, shard_size = 0;
  std::vector<size_t> indices;
  std::vector<double> times;
  double fps = 0, scene = -1, start = 0, end = -1;
  bool keyframes = false, overwrite = false;
  int size = 0, quality = 90;
};

int run_frames(const FramesCliOptions& c, const GlobalOptions& g) {
  int modes = (c.every > 0) + !c.indices.empty() + !c.times.empty() + (c.fps > 0) + (c.uniform > 0) +
              c.keyframes + (c.scene >= 0);
  if (modes > 1) {
    throw UsageError("choose one of --every, --indices, --times, --fps, --uniform, --keyframes, --scene");
  }
  if (c.end >= 0 && c.end < c.start) throw UsageError("--end must not be before --start");
  video::FramesOptions o;
  o.sampling.every = c.every;
  o.sampling.indices = c.indices;
  o.sampling.times = c.times;
  o.sampling.fps = c.fps;
  o.sampling.fps_round = video::parse_fps_round(c.fps_round);
  o.sampling.uniform = c.uniform;
  o.sampling.start = c.start;
  if (c.end >= 0) o.sampling.end = c.end;
  o.keyframes = c.keyframes;
  o.scene = c.scene;
  o.extract.max_side = c.size;
  o.hwaccel = video::parse_hwaccel(c.hwaccel);
  o.out_dir = c.out_dir;
  o.format = c.format;
  o.quality = c.quality;
  o.shard_size = c.shard_size;
  o.overwrite = c.overwrite;
  std::string index_file =
      c.index_file.empty() ? (std::filesystem::path(c.out_dir) / "frames.json").string() : c.index_file;
  check_can_write(index_file, c.overwrite);

  std::vector<video::VideoFrames> results = video::extract_videos(c.videos, o);
  nlohmann::json index = video::frames_index(results);
  size_t errors = std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.error.empty(); });
  // An index of nothing after failures would read as "these videos have no frames": none is written.
  bool write_index = !index.empty() || errors == 0;
  bool csv = std::filesystem::path(index_file).extension() == ".csv";
  if (write_index)
    write_file_atomic(index_file, csv ? video::frames_index_csv(results) : dump_json(index, 2) + "\n", c.overwrite);

  size_t failures = 0;
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& r : results) {
    failures += !r.error.empty() || !r.damage.empty() || !r.missing_indices.empty();
    if (!r.error.empty()) std::fprintf(stderr, "tiny: error: %s\n", r.error.c_str());
    if (!r.damage.empty())
      std::fprintf(stderr, "tiny: warning: %s\n",
                   file_error(r.video, r.damage + fmt::format("; {} frames before it were extracted", r.frames.size()))
                       .c_str());
    if (!r.missing_indices.empty()) {
      std::fprintf(stderr, "tiny: error: %s\n",
                   file_error(r.video, fmt::format("requested frames not extracted (past the end, out of the time "
                                                   "range or undecodable): {}",
                                                   fmt::join(r.missing_indices, ",")))
                       .c_str());
    }
    summary.push_back({{"video", r.video}, {"frames", r.frames.size()}, {"decoded", r.stats.decoded},
                       {"decode_errors", r.stats.decode_errors}, {"missing", r.stats.missing},
                       {"missing_indices", r.missing_indices}, {"decoder", r.stats.decoder},
                       {"scene_scores", r.scene_files},
                       {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)},
                       {"damage", r.damage.empty() ? nlohmann::json() : nlohmann::json(r.damage)}});
    if (!g.json && r.error.empty()) {
      std::cout << fmt::format("{}: {} frames ({} decoded, {}){}\n", r.video, r.frames.size(), r.stats.decoded,
                               r.stats.decoder, r.scene_files.empty() ? "" : "; scene scores in " + r.scene_files.front());
    }
  }
  if (g.json) print_json({{"index", write_index ? nlohmann::json(index_file) : nlohmann::json()}, {"videos", summary}});
  return batch_exit_code(failures, results.size() - failures, g);
}

}  // namespace

void register_frames(Cli& cli) {
  auto o = std::make_shared<FramesCliOptions>();
  CLI::App* sub = cli.add(
      "frames", "Extract frames of videos as images (exact indices, times, rates, key frames, scenes)",
      "  tiny frames clip.mp4 -o frames --fps 1\n"
      "  tiny frames clip.mp4 -o frames --indices 0,10,250 --format png\n"
      "  tiny frames a.mp4 b.mkv -o frames --keyframes --size 512\n"
      "  tiny frames clip.mp4 -o frames --every 30 --hwaccel auto   # NVDEC when there is a GPU\n"
      "  tiny frames clip.mp4 -o shards --fps 2 --shard-size 1000   # WebDataset shards clip-00000.tar, …",
      [o, &cli] { return run_frames(*o, cli.globals()); });
  sub->add_option("videos,--videos", o->videos, "Video files ('-': stdin, copied to a temporary file)")->required();
  sub->add_option("-o,--output", o->out_dir, "Output folder")->required();
  sub->add_option("--every", o->every, "Every Nth frame")->check(CLI::PositiveNumber);
  sub->add_option("--indices", o->indices, "Frame indices (display order, as a full decode)")->delimiter(',');
  sub->add_option("--times", o->times, "Times in seconds: the frame shown at each")->delimiter(',');
  sub->add_option("--fps", o->fps, "Frames per second, chosen as ffmpeg's fps filter does")->check(CLI::PositiveNumber);
  sub->add_option("--fps-round", o->fps_round, "Timestamp rounding of --fps (the fps filter's round option)")
      ->check(CLI::IsMember({"near", "up", "down"}));
  sub->add_option("--uniform", o->uniform, "K frames spread evenly over the video")->check(CLI::PositiveNumber);
  sub->add_flag("--keyframes", o->keyframes, "Key frames only (the decoder skips the others: fast)");
  sub->add_option("--scene", o->scene, "Frames whose picture changes by more than T (0..1); every frame's score "
                                       "goes to OUTDIR/<video>_scenes.csv, .svg and .png")
      ->check(in_range(0, 1));
  sub->add_option("--start", o->start, "Start time in seconds")->check(CLI::NonNegativeNumber);
  sub->add_option("--end", o->end, "End time in seconds")->check(CLI::NonNegativeNumber);
  sub->add_option("--format", o->format, "Image format")->check(CLI::IsMember({"jpg", "png", "webp"}));
  sub->add_option("--quality", o->quality, "JPEG/WebP quality")->check(CLI::Range(1, 101));
  sub->add_option("--size", o->size, "Downscale so the longer side is at most this")->check(CLI::PositiveNumber);
  sub->add_option("--index", o->index_file, "Index of extracted frames: JSON, or CSV if it ends in .csv (default OUTDIR/frames.json)");
  sub->add_option("--shard-size", o->shard_size,
                  "Write WebDataset shards of N frames per video (KEY.<format> + KEY.json) instead of image files")
      ->check(CLI::PositiveNumber);
  sub->add_option("--hwaccel", o->hwaccel, "Hardware decoding: cuda (NVDEC), auto (a device if one works) or none; "
                                           "falls back to software")
      ->check(CLI::IsMember({"auto", "none", "cuda"}));
  add_force_flag(sub, o->overwrite, "Replace existing output files");
  add_allow_failures_flag(sub, cli.globals());
}

}  // namespace tiny::cli
