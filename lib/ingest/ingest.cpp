#include "ingest/ingest.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/threads.hpp"
#include "dataset/content_hash.hpp"
#include "ingest/dedup.hpp"
#include "ingest/shard_output.hpp"
#include "ingest/worker_pool.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

namespace fs = std::filesystem;

namespace tiny::ingest {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The local path of a file:// URL, percent-decoded.
std::string file_url_path(const std::string& url) {
  std::string in = url.substr(7), out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out += char(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

void validate(const IngestOptions& o) {
  if (o.inputs.empty()) throw UsageError("no inputs given");
  if (o.output.empty()) throw UsageError("no output folder given (--output)");
  if (o.shard_size < 1) throw UsageError("--shard-size must be at least 1");
  if (o.num_shards < 1 || o.shard_index >= o.num_shards)
    throw UsageError(fmt::format("--shard-index {} must be below --num-shards {}", o.shard_index, o.num_shards));
  if (o.resume && o.overwrite) throw UsageError("--resume and --overwrite exclude each other");
  if (o.fetch.concurrency < 1 || o.fetch.per_host < 1) throw UsageError("--concurrency and --per-host must be at least 1");
  if (o.fetch.retries < 0 || o.fetch.timeout <= 0 || o.fetch.connect_timeout <= 0)
    throw UsageError("--retries must not be negative and timeouts must be positive");
  if (o.dedup_threshold < 0 || o.dedup_threshold > 64) throw UsageError("--dedup-threshold must be in 0..64");
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

// Refuses an output folder that already holds shards of this run's part unless resuming or
// overwriting (other parts' shards are theirs: parts may share the folder).
void prepare_output(const IngestOptions& o) {
  std::error_code ec;
  fs::create_directories(o.output, ec);
  if (!fs::is_directory(o.output)) throw Error(file_error(o.output, "cannot create the output folder"));
  if (o.resume || o.overwrite) return;
  for (const auto& e : fs::directory_iterator(o.output)) {
    size_t shard = 0;
    if (shard_of_name(e.path().filename().string(), shard) && shard % o.num_shards == o.shard_index)
      throw UsageError(file_error(e.path().string(),
                                  "already exists (pass --resume to skip complete shards, or --overwrite)"));
  }
}

// Removes temporary files a killed run left for a shard.
void remove_stale_temps(const std::string& folder, size_t shard) {
  std::string prefixes[] = {"." + shard_name(shard) + ".tar.tmp-", "." + shard_name(shard) + "_stats.json.tmp-"};
  for (const auto& e : fs::directory_iterator(folder)) {
    std::string name = e.path().filename().string();
    for (const auto& p : prefixes)
      if (name.rfind(p, 0) == 0) fs::remove(e.path());
  }
}

class ShardRunner {
public:
  ShardRunner(const IngestOptions& o, IngestSummary& summary, Progress& progress)
      : o_(o), summary_(summary), progress_(progress), dedup_(o.dedup_threshold),
        threads_(o.threads > 0 ? o.threads : thread_count()), fetcher_(o.fetch) {}

  void run(size_t shard, size_t first_index, std::vector<SampleOutcome>& samples) {
    auto start = Clock::now();
    remove_stale_temps(o_.output, shard);
    {
      WorkerPool pool(threads_, size_t(threads_) * 4);
      for (size_t i = 0; i < samples.size(); ++i) dispatch(samples[i], i, pool);
      auto fetch_start = Clock::now();
      std::vector<FetchResult> done;
      while (fetcher_.pending() > 0) {
        fetcher_.poll(done, 20);
        for (auto& r : done) finish_fetch(samples[r.id], r, pool);
        done.clear();
      }
      summary_.fetch_seconds += since(fetch_start);
      pool.wait();
    }
    if (o_.dedup) apply_dedup(samples);
    auto tar_start = Clock::now();
    ShardResult r = write_shard(o_.output, shard, first_index, samples, since(start), o_.resume || o_.overwrite);
    summary_.tar_seconds += since(tar_start);
    summary_.successes += r.successes;
    summary_.bytes += r.bytes;
    for (const auto& [reason, n] : r.failures) summary_.failures[reason] += n;
    ++summary_.shards_written;
    for (const auto& s : samples) {
      summary_.decode_seconds += s.processed.decode_seconds;
      summary_.encode_seconds += s.processed.encode_seconds;
    }
  }

private:
  void fail(SampleOutcome& s, std::string reason, std::string error) {
    s.reason = std::move(reason);
    s.error = std::move(error);
    progress_.advance();
  }

  // Hashes and processes one sample's bytes (on a worker thread).
  void handle(SampleOutcome& s, const Bytes& data) {
    s.content_hash = dataset::content_hash(data.data(), data.size());
    s.processed = process_image(data, s.input.url, o_.process);
    s.reason = s.processed.reason;
    s.error = s.processed.error;
    if (!s.reason.empty()) s.processed.bytes.clear();
    progress_.advance();
  }

  void process(SampleOutcome& s, Bytes data, WorkerPool& pool) {
    pool.submit([this, &s, data = std::move(data)] { handle(s, data); });
  }

  void dispatch(SampleOutcome& s, size_t i, WorkerPool& pool) {
    if (!s.input.error.empty()) return fail(s, "bad_input", s.input.error);
    if (s.input.has_data) {
      s.attempts = 1;
      return process(s, std::move(s.input.data), pool);
    }
    std::string scheme = url_scheme_error(s.input.url);
    if (!scheme.empty()) return fail(s, "scheme", scheme);
    if (s.input.url.compare(0, 7, "file://") == 0) {
      s.attempts = 1;
      std::string path = file_url_path(s.input.url);
      pool.submit([this, &s, path] {
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) return fail(s, "not_found", file_error(path, "no such file"));
        try {
          handle(s, read_file(path));
        } catch (const Error& e) {
          fail(s, "not_found", e.what());
        }
      });
      return;
    }
    fetcher_.add(i, s.input.url);
  }

  void finish_fetch(SampleOutcome& s, FetchResult& r, WorkerPool& pool) {
    s.http_status = r.status;
    s.attempts = r.attempts;
    if (!r.reason.empty()) return fail(s, r.reason, r.error);
    process(s, std::move(r.body), pool);
  }

  void apply_dedup(std::vector<SampleOutcome>& samples) {
    for (auto& s : samples) {
      if (!s.reason.empty()) continue;
      if (!dedup_.insert_if_new(s.processed.phash)) {
        s.reason = "duplicate";
        s.error = "near-duplicate of an earlier sample (pHash)";
        s.processed.bytes.clear();
      }
    }
  }

  const IngestOptions& o_;
  IngestSummary& summary_;
  Progress& progress_;
  DedupIndex dedup_;
  int threads_;
  Fetcher fetcher_;  // one for the run, so connections are reused across shards
};

}  // namespace

std::string shard_name(size_t shard) { return fmt::format("{:05d}", shard); }

bool shard_complete(const std::string& folder, size_t shard) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(folder) / (shard_name(shard) + "_stats.json"), ec) &&
         fs::is_regular_file(fs::path(folder) / (shard_name(shard) + ".tar"), ec);
}

Json IngestSummary::to_json() const {
  return {{"samples", samples},
          {"successes", successes},
          {"failures", failures},
          {"shards_written", shards_written},
          {"shards_skipped", shards_skipped},
          {"tar_members_rejected", tar_members_rejected},
          {"image_bytes", bytes},
          {"seconds", seconds},
          {"images_per_s", seconds > 0 ? double(successes) / seconds : 0.0},
          {"time", {{"fetch_wall_s", fetch_seconds},
                    {"decode_resize_cpu_s", decode_seconds},
                    {"encode_cpu_s", encode_seconds},
                    {"tar_wall_s", tar_seconds}}}};
}

IngestSummary run_ingest(const IngestOptions& options) {
  IngestOptions o = options;
  o.process.phash = o.process.phash || o.dedup;
  validate(o);
  InputStream inputs(o.inputs, o.input_format, o.columns, o.fetch);
  prepare_output(o);
  auto start = Clock::now();
  IngestSummary summary;
  Progress progress("ingest", 0, "samples");
  ShardRunner runner(o, summary, progress);
  size_t index = 0;
  bool more = true;
  while (more) {
    size_t shard = index / o.shard_size, first = index;
    bool mine = shard % o.num_shards == o.shard_index;
    bool skip = mine && o.resume && shard_complete(o.output, shard);
    std::vector<SampleOutcome> samples;
    InputRecord record;
    while (index < (shard + 1) * o.shard_size && (more = inputs.next(record))) {
      ++index;
      if (mine && !skip) samples.push_back(SampleOutcome{std::move(record), "", "", {}, 0, 0, 0});
    }
    if (index == first || !mine) continue;
    if (skip) {
      ++summary.shards_skipped;
      log::info("shard {} is complete, skipped", shard_name(shard));
      continue;
    }
    summary.samples += samples.size();
    runner.run(shard, first, samples);
  }
  progress.finish();
  summary.tar_members_rejected = inputs.rejected_members();
  summary.seconds = since(start);
  std::string name = o.num_shards == 1 ? "summary.json"
                                       : fmt::format("summary_{}_of_{}.json", o.shard_index, o.num_shards);
  write_file_atomic((fs::path(o.output) / name).string(), summary.to_json().dump(2) + "\n", true);
  return summary;
}

}  // namespace tiny::ingest
