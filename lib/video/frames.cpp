#include "video/frames.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_output.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/scratch_dir.hpp"
#include "image/encode.hpp"
#include "shards/keys.hpp"
#include "shards/webdataset.hpp"
#include "video/av_input.hpp"
#include "video/scene_scores.hpp"

#include <fmt/format.h>

#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace tiny::video {
namespace {

image::Format output_format(const std::string& name) {
  if (name == "jpg" || name == "jpeg") return image::Format::jpeg;
  if (name == "png") return image::Format::png;
  if (name == "webp") return image::Format::webp;
  throw UsageError("unknown frame format '" + name + "' (expected jpg, png or webp)");
}

// Quotes a CSV field if it holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Writes encoded frames into shards in frame order, whatever order their encodings finish in.
class ShardSequence {
public:
  ShardSequence(const FramesOptions& o, std::string video, std::string stem, std::vector<FrameRecord>& records)
      : o_(o),
        video_(std::move(video)),
        stem_(std::move(stem)),
        records_(records),
        series_(
            [this](size_t i) {
              return (std::filesystem::path(o_.out_dir) / (shards::shard_stem(i, stem_) + ".tar")).string();
            },
            o.shard_size, o.overwrite) {}

  // Takes the encoded frame of sequence number `seq` (0, 1, … in decode order); call under a lock.
  void put(size_t seq, const Frame& frame, Bytes encoded) {
    pending_.emplace(seq, Pending{frame.index, frame.pts, frame.time, std::move(encoded)});
    for (auto it = pending_.find(next_); it != pending_.end(); it = pending_.find(++next_)) {
      write(it->second);
      pending_.erase(it);
    }
  }
  // Commits the last, partly filled shard.
  void finish() { series_.commit(); }

private:
  struct Pending {
    size_t index;
    int64_t pts;
    double time;
    Bytes encoded;
  };

  void write(Pending& p) {
    shards::Sample sample;
    sample.key = shards::named_key(stem_, p.index);
    const std::string meta = dump_json(nlohmann::json{{"video", video_}, {"index", p.index}, {"pts", p.pts}, {"time", p.time}});
    sample.files["json"] = Bytes(meta.begin(), meta.end());
    sample.files[o_.format] = std::move(p.encoded);
    records_.push_back({p.index, p.pts, p.time, series_.add(sample), sample.key});
  }

  const FramesOptions& o_;
  std::string video_, stem_;
  std::vector<FrameRecord>& records_;
  std::map<size_t, Pending> pending_;
  size_t next_ = 0;
  shards::ShardSeries series_;
};

// The requested indices (sorted, unique) that no extracted frame has.
std::vector<size_t> missing_indices(std::vector<size_t> requested, const std::vector<FrameRecord>& frames) {
  std::sort(requested.begin(), requested.end());
  requested.erase(std::unique(requested.begin(), requested.end()), requested.end());
  std::vector<size_t> missing;
  for (size_t i : requested) {
    auto it = std::lower_bound(frames.begin(), frames.end(), i,
                               [](const FrameRecord& f, size_t index) { return f.index < index; });
    if (it == frames.end() || it->index != i) missing.push_back(i);
  }
  return missing;
}

// Copies stdin to the file `path` (frame-exact seeking needs a file, whatever the container).
void copy_stdin_to(const std::string& path) {
  AtomicFile out(path, false);
  std::vector<char> buffer(1 << 20);
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), stdin)) > 0) out.write(std::string_view(buffer.data(), n));
  if (std::ferror(stdin)) throw Error(file_error("stdin", "cannot read: " + errno_text()));
  out.commit();
}

}  // namespace

VideoFrames extract_to_files(const std::string& path, const FramesOptions& o, int decoder_threads,
                             Progress* progress) {
  VideoFrames result;
  result.video = path;
  image::Format format = output_format(o.format);
  image::EncodeOptions encode;
  encode.quality = o.quality;
  // PNG frames favour speed: the Up filter and zlib level 1 still give files smaller than the ffmpeg
  // tool's PNG encoder writes (no filter, level 6), in half to two thirds of its time.
  encode.png_filter = image::PngFilter::up;
  encode.png_compression = 1;
  std::string stem = std::filesystem::path(path).stem().string();
  // The scene scores' files are refused before decoding if they exist (unless overwrite).
  const bool scenes = o.scene >= 0 && !o.keyframes;
  const std::string scene_prefix = (std::filesystem::path(o.out_dir) / stem).string() + "_scenes";
  if (scenes)
    for (const char* ext : {".csv", ".svg", ".png"}) check_can_write(scene_prefix + ext, o.overwrite);
  AvInput input(path, decoder_threads, o.hwaccel);
  FrameIndex index = scan_frames(input);
  result.damage = index.damage;
  // Frames are encoded and written by pool tasks while decoding goes on. When as many as there are
  // cores wait, the decoding thread encodes the next frame itself: memory stays bounded and no core
  // idles while the pool catches up.
  std::mutex mutex;
  std::optional<ShardSequence> shards;
  if (o.shard_size > 0) shards.emplace(o, path, stem, result.frames);
  auto write = [&](const Frame& frame, size_t seq) {
    Bytes encoded = image::encode_image(frame.image, format, encode);
    if (shards) {
      std::lock_guard<std::mutex> lock(mutex);
      shards->put(seq, frame, std::move(encoded));
      return;
    }
    std::string file =
        (std::filesystem::path(o.out_dir) / fmt::format("{}_{:06d}.{}", stem, frame.index, o.format)).string();
    write_file_atomic(file, encoded, o.overwrite);
    std::lock_guard<std::mutex> lock(mutex);
    result.frames.push_back({frame.index, frame.pts, frame.time, file, ""});
  };
  auto write_counted = [&](const Frame& frame, size_t seq) {
    write(frame, seq);
    if (progress) progress->advance();
  };
  tbb::task_group writers;  // declared last: on unwinding it waits for its tasks before the rest goes
  std::atomic<size_t> waiting{0};
  size_t sequence = 0;
  const size_t max_waiting = std::max(1u, std::thread::hardware_concurrency());
  FrameSink sink = [&](Frame&& frame) {
    size_t seq = sequence++;
    if (waiting >= max_waiting) return write_counted(frame, seq);
    ++waiting;
    auto shared = std::make_shared<Frame>(std::move(frame));
    writers.run([&, shared, seq] {
      write_counted(*shared, seq);
      --waiting;
    });
  };
  const Sampling& s = o.sampling;
  if (o.keyframes) {
    result.stats = extract_keyframes(input, index, s.start, s.end, o.extract, sink);
  } else if (o.scene >= 0) {
    result.stats = extract_scenes(input, index, s.start, s.end, o.scene, o.extract, sink, &result.scene_scores);
  } else {
    std::vector<size_t> wanted = select_frames(index, s);
    if (progress) progress->add_total(wanted.size());
    result.stats = extract_indices(input, index, wanted, o.extract, sink);
  }
  writers.wait();
  if (shards) shards->finish();
  std::sort(result.frames.begin(), result.frames.end(),
            [](const FrameRecord& a, const FrameRecord& b) { return a.index < b.index; });
  if (scenes) {
    const std::string title = std::filesystem::path(path).filename().string() + ": scene change score per frame";
    result.scene_files = write_scene_scores(result.scene_scores, o.scene, scene_prefix, title, o.overwrite);
  }
  if (!o.keyframes && o.scene < 0 && !s.indices.empty()) {
    result.missing_indices = missing_indices(s.indices, result.frames);
    result.stats.missing = result.missing_indices.size();
  }
  return result;
}

std::vector<VideoFrames> extract_videos(const std::vector<std::string>& given, const FramesOptions& o) {
  output_format(o.format);
  if (std::count(given.begin(), given.end(), "-") > 1) throw UsageError("'-' (stdin) may be given only once");
  std::optional<ScratchDir> scratch;
  std::vector<std::string> paths = given;
  for (auto& path : paths) {
    if (path != "-") continue;
    scratch.emplace("tiny-frames");
    path = scratch->file("stdin");
    copy_stdin_to(path);
  }
  std::set<std::string> stems;
  for (const auto& path : paths) {
    if (!stems.insert(std::filesystem::path(path).stem().string()).second) {
      throw UsageError(file_error(path, "another video has the same name; their frames would collide"));
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) throw Error(file_error(o.out_dir, "cannot create folder: " + ec.message()));
  std::vector<VideoFrames> results(paths.size());
  int decoder_threads = paths.size() > 1 ? 1 : 0;
  Progress progress("frames", 0, "frames");
  parallel_for(0, paths.size(), [&](size_t i) {
    try {
      results[i] = extract_to_files(paths[i], o, decoder_threads, &progress);
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      results[i].error = e.what();
    }
    results[i].video = given[i];
  });
  return results;
}

nlohmann::json frames_index(const std::vector<VideoFrames>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    for (const auto& f : r.frames) {
      nlohmann::json j = {{"video", r.video}, {"index", f.index}, {"pts", f.pts}, {"time", f.time}, {"file", f.file}};
      if (!f.key.empty()) j["key"] = f.key;
      out.push_back(j);
    }
  }
  return out;
}

std::string frames_index_csv(const std::vector<VideoFrames>& results) {
  std::string out = "video,index,pts,time,file,key\n";
  for (const auto& r : results) {
    for (const auto& f : r.frames) {
      out += fmt::format("{},{},{},{},{},{}\n", csv_field(r.video), f.index, f.pts, f.time, csv_field(f.file),
                         csv_field(f.key));
    }
  }
  return out;
}

}  // namespace tiny::video
