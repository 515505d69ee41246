#include "ingest/shard_output.hpp"

#include "core/json_output.hpp"
#include "ingest/ingest.hpp"
#include "shards/keys.hpp"
#include "shards/webdataset.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace tiny::ingest {
namespace {

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

Json sample_json(const SampleOutcome& s, const std::string& key) {
  Json j = s.input.extra.is_object() ? s.input.extra : Json::object();
  j["key"] = key;
  j["url"] = s.input.url;
  j["caption"] = s.input.caption;
  j["status"] = "success";
  j["original_width"] = s.processed.original_width;
  j["original_height"] = s.processed.original_height;
  j["width"] = s.processed.width;
  j["height"] = s.processed.height;
  j["content_hash"] = fmt::format("{:016x}", s.content_hash);
  if (!s.digest.empty()) j[s.digest_type] = s.digest;
  if (s.processed.phash) j["phash"] = fmt::format("{:016x}", s.processed.phash);
  if (s.http_status) j["http_status"] = s.http_status;
  return j;
}

}  // namespace

ShardResult write_shard(const std::string& folder, size_t shard, size_t first_index,
                        const std::deque<SampleOutcome>& samples, double seconds, bool overwrite) {
  namespace fs = std::filesystem;
  std::string stem = (fs::path(folder) / shards::shard_stem(shard)).string();
  ShardResult result;
  Json failed = Json::array();
  shards::ShardWriter writer(stem + ".tar", overwrite);
  for (size_t i = 0; i < samples.size(); ++i) {
    const SampleOutcome& s = samples[i];
    std::string key = shards::numbered_key(first_index + i);
    if (!s.reason.empty()) {
      ++result.failures[s.reason];
      failed.push_back({{"key", key}, {"url", s.input.url}, {"reason", s.reason}, {"error", s.error}});
      continue;
    }
    shards::Sample out;
    out.key = key;
    out.files[s.processed.extension] = s.processed.bytes;
    out.files["txt"] = to_bytes(s.input.caption);
    out.files["json"] = to_bytes(dump_json(sample_json(s, key)));
    writer.add(out);
    ++result.successes;
    result.bytes += s.processed.bytes.size();
  }
  writer.commit();
  result.samples = samples.size();
  Json stats = {{"shard", shard},
                {"first_key", shards::numbered_key(first_index)},
                {"samples", samples.size()},
                {"successes", result.successes},
                {"failures", result.failures},
                {"image_bytes", result.bytes},
                {"tar_bytes", std::filesystem::file_size(stem + ".tar")},
                {"duration_s", seconds},
                {"failed", failed}};
  write_file_atomic(stem + "_stats.json", dump_json(stats, 2) + "\n", true);
  return result;
}

}  // namespace tiny::ingest
