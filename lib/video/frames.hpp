#pragma once
// Extracting frames of many videos to image files with a JSON index (what `tiny frames` runs).
#include "video/extract.hpp"
#include "video/hwaccel.hpp"
#include "video/sampling.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny {
class Progress;
}

namespace tiny::video {

struct FramesOptions {
  Sampling sampling;
  bool keyframes = false;   // decode key frames only (within start/end)
  double scene = -1;        // scene-change threshold in [0, 1] (< 0: off)
  ExtractOptions extract;
  HwAccel hwaccel = HwAccel::none;  // decode on a device when one can be had
  std::string out_dir;
  std::string format = "jpg";  // jpg, png or webp
  int quality = 90;
  size_t shard_size = 0;  // > 0: WebDataset shards {stem}-{n:05d}.tar of this many frames, not image files
  bool overwrite = false;
};

struct FrameRecord {
  size_t index = 0;
  int64_t pts = 0;
  double time = 0;
  std::string file;  // the image file, or the shard holding the frame
  std::string key;   // the frame's sample key in its shard (empty for image files)
};

struct VideoFrames {
  std::string video;
  std::vector<FrameRecord> frames;
  ExtractStats stats;
  // Indices that sampling.indices asked for and that were not extracted: past the end of the video,
  // outside start/end, or not decodable (sorted; stats.missing counts them).
  std::vector<size_t> missing_indices;
  // With a scene threshold: every decoded frame's score, and the CSV and plots of them
  // ({out_dir}/{stem}_scenes.csv, .svg, .png).
  std::vector<SceneScore> scene_scores;
  std::vector<std::string> scene_files;
  std::string error;   // set if the video could not be processed
  std::string damage;  // set if the video is truncated or damaged: `frames` holds what was before it
};

// Extracts one video's frames to {out_dir}/{stem}_{index:06d}.{format}, each written atomically, or
// with shard_size to WebDataset shards {out_dir}/{stem}-{n:05d}.tar: per frame KEY.{format} and
// KEY.json (video, index, pts, time), KEY = shards::named_key(stem, index) (dots made "_"), in frame order.
// `progress`, when given, counts the frames written (its total grows by each sampled selection).
VideoFrames extract_to_files(const std::string& path, const FramesOptions& options, int decoder_threads = 0,
                             Progress* progress = nullptr);
// Extracts many videos in parallel; a failing video records its error and the others go on. "-" reads
// a video from stdin (copied to a temporary file first: exact seeking needs one; its stem is "stdin").
// Throws UsageError if two videos share a file stem (their outputs would collide).
std::vector<VideoFrames> extract_videos(const std::vector<std::string>& paths, const FramesOptions& options);
// The JSON index: one object per extracted frame (video, index, pts, time, file, and key in shards).
nlohmann::json frames_index(const std::vector<VideoFrames>& results);
// The same index as CSV text with a header line: video,index,pts,time,file,key (fields quoted as needed).
std::string frames_index_csv(const std::vector<VideoFrames>& results);

}  // namespace tiny::video
