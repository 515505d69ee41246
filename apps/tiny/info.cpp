// tiny info FILE...: what each file is, as a table or JSON.
#include "commands.hpp"
#include "codec/model_file.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/folder_inputs.hpp"
#include "core/scratch_dir.hpp"
#include "core/table.hpp"
#include "entropy/container.hpp"
#include "image/probe.hpp"
#include "video_plugin.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace tiny::cli {
namespace {

struct InfoOptions {
  std::vector<std::string> files;
  bool count = false;
};

nlohmann::json describe_tic(const entropy::TicFile& tic, const std::string& path) {
  nlohmann::json d = entropy::describe_tic(tic);
  d["quality"] = codec::bitstream_quality(tic.arch, tic.quality);
  d["file"] = path;
  return d;
}

nlohmann::json describe_image(const image::ImageInfo& info, const std::string& path) {
  return {{"file", path},
          {"type", "image"},
          {"format", image::format_name(info.format)},
          {"width", info.display_width()},
          {"height", info.display_height()},
          {"stored_width", info.width},
          {"stored_height", info.height},
          {"channels", info.channels},
          {"bit_depth", info.bit_depth},
          {"orientation", info.orientation}};
}

// A .tic or an image file `source`, shown as `path`; null for a video.
nlohmann::json describe(const std::string& source, const std::string& path) {
  if (entropy::is_tic_file(source)) return describe_tic(entropy::read_tic_file(source), path);
  image::ImageInfo info;
  try {
    info = image::probe_file(source);
  } catch (const Error&) {
    if (!video_plugin().is_video(source)) throw;
    return nullptr;
  }
  return describe_image(info, path);
}

int run_info(const InfoOptions& o, const GlobalOptions& g) {
  nlohmann::json results = nlohmann::json::array();
  Table table({"file", "format", "size", "channels", "bits", "orientation"});
  std::optional<Table> videos;  // the video plugin's columns, once there is a video
  Table models({"file", "arch", "quality", "N/M", "metric", "lambda", "weights", "bits/weight", "parameters", "hash"});
  int failures = 0;
  const auto is_tic = [](const std::string& name) { return has_extension(name, ".tic"); };
  std::optional<ScratchDir> stdin_copy;  // "-" is read once into a file: every reader below takes a path
  for (const InputFile& input : expand_folders(o.files, is_tic, ".tic files")) {
    const std::string& path = input.path;
    try {
      std::string source = path;
      if (path == "-") {
        if (!stdin_copy) {
          stdin_copy.emplace("tiny-info");
          write_file_atomic(stdin_copy->file("stdin"), read_file("-"), false);
        }
        source = stdin_copy->file("stdin");
      }
      if (codec::is_model_file(source)) {
        nlohmann::json m = codec::describe_model(codec::read_model_file(source));
        m["file"] = path;
        results.push_back(m);
        models.add_row({path, m["arch"], std::to_string(int(m["quality"])), fmt::format("{}/{}", int(m["N"]), int(m["M"])),
                        m["metric"], fmt::format("{}", double(m["lambda"])), m["weights"],
                        fmt::format("{:.2f}", double(m["bits_per_weight"])),
                        std::to_string(int64_t(m["parameters"])), m["hash"]});
        continue;
      }
      nlohmann::json d = describe(source, path);
      if (d.is_null()) {
        VideoDescription v = video_plugin().describe(source, path, o.count);
        if (!v.damage.empty()) {  // the counts describe part of the video: say so, and fail the file
          ++failures;
          std::fprintf(stderr, "tiny: warning: %s\n", file_error(path, v.damage).c_str());
        }
        results.push_back(v.json);
        if (!videos) videos.emplace(video_plugin().table_headers());
        videos->add_row(v.row);
        continue;
      }
      results.push_back(d);
      table.add_row({path, d["format"].get<std::string>(), fmt::format("{}x{}", int(d["width"]), int(d["height"])),
                     std::to_string(int(d["channels"])), std::to_string(int(d["bit_depth"])),
                     std::to_string(int(d["orientation"]))});
    } catch (const Error& e) {
      ++failures;
      std::fprintf(stderr, "tiny: error: %s\n", e.what());
      results.push_back({{"file", path}, {"error", e.what()}});
    }
  }
  if (g.json) {
    print_json({{"files", results}});
  } else {
    if (table.rows() > 0) std::cout << table.render();
    const size_t video_rows = videos ? videos->rows() : 0;
    if (video_rows > 0) std::cout << (table.rows() > 0 ? "\n" : "") << videos->render();
    if (models.rows() > 0) std::cout << (table.rows() + video_rows > 0 ? "\n" : "") << models.render();
  }
  return failures ? 1 : 0;
}

}  // namespace

void register_info(Cli& cli) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* sub = cli.add("info", "Show what files are: format, size, channels, bit depth, orientation",
                          "  tiny info photo.jpg\n"
                          "  tiny info --json ../shared/data/kodak/*.png",
                          [o, &cli] { return run_info(*o, cli.globals()); });
  sub->add_option("files,--files", o->files, "Files to describe; folders: the .tic files below them; '-': a .tic or an image on stdin")->required();
  sub->add_flag("--count", o->count, "Videos: count frames and key frames exactly (reads every packet)");
}

}  // namespace tiny::cli
