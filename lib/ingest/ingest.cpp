#include "ingest/ingest.hpp"

#include "core/error.hpp"
#include "core/json_output.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/stopwatch.hpp"
#include "ingest/shard_runner.hpp"
#include "shards/keys.hpp"
#include "shards/member_index.hpp"
#include "shards/webdataset.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace tiny::ingest {
namespace {

void validate(const IngestOptions& o) {
  if (o.inputs.empty()) throw UsageError("no inputs given");
  if (o.output.empty()) throw UsageError("no output folder given (--output)");
  if (o.shard_size < 1) throw UsageError("--shard-size must be at least 1");
  if (o.num_shards < 1 || o.shard_index >= o.num_shards)
    throw UsageError(fmt::format("--shard-index {} must be below --num-shards {}", o.shard_index, o.num_shards));
  if (o.resume && o.overwrite) throw UsageError("--resume and --force exclude each other");
  if (o.fetch.concurrency < 1 || o.fetch.per_host < 1) throw UsageError("--concurrency and --per-host must be at least 1");
  if (o.fetch.retries < 0 || o.fetch.timeout <= 0 || o.fetch.connect_timeout <= 0)
    throw UsageError("--retries must not be negative and timeouts must be positive");
  if (!(o.fetch.max_retry_after >= 0 && o.fetch.max_retry_after <= 3600))
    throw UsageError("--max-retry-after must be in 0..3600 seconds");
  if (o.dedup_threshold < 0 || o.dedup_threshold > 256) throw UsageError("--dedup-threshold must be in 0..256");
  if (o.dedup_coarse_threshold < 0 || o.dedup_coarse_threshold > 64)
    throw UsageError("--dedup-coarse-threshold must be in 0..64");
  if (!o.verify_hash.empty() && o.hash == HashType::none)
    throw UsageError("--verify-hash COLUMN compares the list's digests with --hash sha256 or md5: give --hash");
  ingest::validate(o.process);
}

// The shard number of "NNNNN.tar" or "NNNNN_stats.json", or false for other names.
bool shard_of_name(const std::string& name, size_t& shard) {
  size_t digits = name.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos || digits > 12) return false;
  std::string rest = name.substr(digits);
  if (rest != ".tar" && rest != "_stats.json") return false;
  shard = std::stoull(name.substr(0, digits));
  return true;
}

// The shard a temporary file ".NNNNN.tar.tmp-XXXXXX" or ".NNNNN_stats.json.tmp-XXXXXX" was for.
bool shard_of_temp(const std::string& name, size_t& shard) {
  size_t tmp = name.find(".tmp-");
  return name.size() > 1 && name[0] == '.' && tmp != std::string::npos && shard_of_name(name.substr(1, tmp - 1), shard);
}

// Refuses an output folder that already holds shards of this run's part unless resuming or
// overwriting (other parts' shards are theirs: parts may share the folder). Removes the temporary
// files a killed run of this part left behind.
void prepare_output(const IngestOptions& o) {
  std::error_code ec;
  fs::create_directories(o.output, ec);
  if (!fs::is_directory(o.output)) throw Error(file_error(o.output, "cannot create the output folder"));
  for (const auto& e : fs::directory_iterator(o.output)) {
    size_t shard = 0;
    std::string name = e.path().filename().string();
    if (shard_of_temp(name, shard) && shard % o.num_shards == o.shard_index) fs::remove(e.path(), ec);
    if (o.resume || o.overwrite) continue;
    if (shard_of_name(name, shard) && shard % o.num_shards == o.shard_index)
      throw UsageError(file_error(e.path().string(),
                                  "already exists (pass --resume to skip complete shards, or --force to replace them)"));
  }
}

}  // namespace

bool is_filter_reason(const std::string& reason) {
  return reason == "too_small" || reason == "aspect" || reason == "area" || reason == "duplicate";
}

namespace {

// The number of distinct sample keys among `index`'s members.
size_t sample_count(const shards::ShardIndex& index) {
  std::set<std::string> keys;
  for (const auto& m : index.members) {
    std::string key, ext;
    if (shards::split_key(m.name, key, ext)) keys.insert(key);
  }
  return keys.size();
}

// A non-negative integer field of a stats file, or throws Error.
uint64_t count_field(const Json& stats, const char* key, const std::string& path) {
  if (!stats.contains(key) || !stats[key].is_number_unsigned()) throw Error(file_error(path, fmt::format("no count '{}'", key)));
  return stats[key].get<uint64_t>();
}

}  // namespace

std::optional<ShardResult> complete_shard(const std::string& folder, size_t shard) {
  std::string stem = (fs::path(folder) / shards::shard_stem(shard)).string();
  std::error_code ec;
  if (!fs::is_regular_file(stem + "_stats.json", ec) || !fs::is_regular_file(stem + ".tar", ec)) return std::nullopt;
  try {
    Json stats = read_json_file(stem + "_stats.json");
    ShardResult r;
    r.samples = count_field(stats, "samples", stem + "_stats.json");
    r.successes = count_field(stats, "successes", stem + "_stats.json");
    r.bytes = count_field(stats, "image_bytes", stem + "_stats.json");
    if (stats.contains("tar_bytes") && count_field(stats, "tar_bytes", stem + "_stats.json") != fs::file_size(stem + ".tar"))
      return std::nullopt;
    if (!stats.contains("failures") || !stats["failures"].is_object()) return std::nullopt;
    for (const auto& [reason, n] : stats["failures"].items()) {
      if (!n.is_number_unsigned()) return std::nullopt;
      r.failures[reason] = n.get<size_t>();
    }
    shards::ShardIndex index = shards::index_shard(stem + ".tar");
    if (!index.error.empty() || !index.refused.empty() || sample_count(index) != r.successes) return std::nullopt;
    return r;
  } catch (const Error&) {
    return std::nullopt;
  }
}

size_t IngestSummary::failed() const {
  size_t n = 0;
  for (const auto& [reason, count] : failures)
    if (!is_filter_reason(reason)) n += count;
  return n;
}

Json IngestSummary::to_json() const {
  return {{"samples", samples},
          {"successes", successes},
          {"failures", failures},
          {"failed", failed()},
          {"shards_written", shards_written},
          {"shards_skipped", shards_skipped},
          {"tar_members_rejected", tar_members_rejected},
          {"input_errors", input_errors},
          {"captions_repaired", captions_repaired},
          {"image_bytes", bytes},
          {"seconds", seconds},
          {"images_per_s", seconds > 0 ? double(successes) / seconds : 0.0},
          {"time", {{"fetch_wall_s", fetch_seconds},
                    {"decode_resize_cpu_s", decode_seconds},
                    {"encode_cpu_s", encode_seconds},
                    {"tar_wall_s", tar_seconds}}}};
}

void IngestSummary::add_skipped(const ShardResult& shard) {
  samples += shard.samples;
  successes += shard.successes;
  bytes += shard.bytes;
  for (const auto& [reason, n] : shard.failures) failures[reason] += n;
}

IngestSummary run_ingest(const IngestOptions& options) {
  IngestOptions o = options;
  o.process.phash = o.process.phash || o.dedup;
  o.process.signature = o.dedup;
  o.process.mirror = o.dedup_flips;
  validate(o);
  InputStream inputs(o.inputs, o.input_format, o.columns, o.fetch);
  prepare_output(o);
  Stopwatch start;
  IngestSummary summary;
  Progress progress("ingest", 0, "samples");
  ShardRunner runner(o, summary, progress);
  size_t index = 0;
  bool more = true;
  while (more) {
    size_t shard = index / o.shard_size, first = index;
    bool mine = shard % o.num_shards == o.shard_index;
    std::optional<ShardResult> done = mine && o.resume ? complete_shard(o.output, shard) : std::nullopt;
    bool opened = false;
    InputRecord record;
    while (index < (shard + 1) * o.shard_size && (more = inputs.next(record))) {
      ++index;
      if (!mine || done) continue;
      if (!opened) runner.open(shard, first);
      opened = true;
      runner.add(std::move(record));
    }
    if (opened) runner.close();
    if (index == first || !done) continue;
    ++summary.shards_skipped;
    summary.add_skipped(*done);
    log::info("shard {} is complete, skipped", shards::shard_stem(shard));
  }
  runner.finish();
  progress.finish();
  summary.tar_members_rejected = inputs.rejected_members();
  summary.input_errors = inputs.input_errors();
  summary.captions_repaired = inputs.repaired_captions();
  summary.seconds = start.seconds();
  std::string name = o.num_shards == 1 ? "summary.json"
                                       : fmt::format("summary_{}_of_{}.json", o.shard_index, o.num_shards);
  write_file_atomic((fs::path(o.output) / name).string(), dump_json(summary.to_json(), 2) + "\n", true);
  return summary;
}

}  // namespace tiny::ingest
