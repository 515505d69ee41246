#include "ingest/shard_runner.hpp"

#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "core/threads.hpp"
#include "dataset/content_hash.hpp"
#include "ingest/sample_hash.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace tiny::ingest {
namespace {

constexpr size_t kMaxOpen = 2;

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

int worker_count(const IngestOptions& o) { return o.threads > 0 ? o.threads : thread_count(); }

}  // namespace

ShardRunner::ShardRunner(const IngestOptions& o, IngestSummary& summary, Progress& progress)
    : o_(o), summary_(summary), progress_(progress), dedup_(o.dedup_coarse_threshold, o.dedup_threshold), fetcher_(o.fetch),
      pool_(worker_count(o), size_t(worker_count(o)) * 4) {}

ShardRunner::~ShardRunner() = default;

void ShardRunner::open(size_t shard, size_t first_index) {
  auto open = std::make_unique<OpenShard>();
  open->shard = shard;
  open->first = first_index;
  open_.push_back(std::move(open));
}

void ShardRunner::add(InputRecord record) {
  OpenShard& open = *open_.back();
  open.samples.push_back(SampleOutcome{std::move(record), "", "", {}, 0, 0, 0});
  ++open.remaining;
  ++summary_.samples;
  dispatch(open, open.samples.size() - 1);
}

void ShardRunner::close() {
  open_.back()->closed = true;
  while (open_.size() >= kMaxOpen) drive();
}

void ShardRunner::finish() {
  while (!open_.empty()) drive();
  pool_.wait();
}

void ShardRunner::drive() {
  Stopwatch start;
  if (fetcher_.pending() > 0) {
    std::vector<net::FetchResult> done;
    fetcher_.poll(done, 20);
    for (auto& r : done) {
      for (auto& open : open_) {
        if (r.id < open->first || r.id >= open->first + open->samples.size()) continue;
        SampleOutcome& s = open->samples[r.id - open->first];
        s.http_status = r.status;
        s.attempts = r.attempts;
        if (!r.reason.empty()) fail(*open, s, r.reason, r.error);
        else submit(*open, s, [body = std::make_shared<Bytes>(std::move(r.body))] { return std::move(*body); });
      }
    }
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  summary_.fetch_seconds += start.seconds();
  write_completed();
}

void ShardRunner::write_completed() {
  while (!open_.empty() && open_.front()->closed && open_.front()->remaining == 0) {
    OpenShard& open = *open_.front();
    if (o_.dedup)
      for (auto& s : open.samples)
        if (s.reason.empty() && !dedup_.insert_if_new(s.processed.signature)) {
          s.reason = "duplicate";
          s.error = "near-duplicate of an earlier sample";
          s.processed.bytes.clear();
        }
    Stopwatch tar_start;
    ShardResult r = write_shard(o_.output, open.shard, open.first, open.samples, open.start.seconds(),
                                o_.resume || o_.overwrite);
    summary_.tar_seconds += tar_start.seconds();
    summary_.successes += r.successes;
    summary_.bytes += r.bytes;
    for (const auto& [reason, n] : r.failures) summary_.failures[reason] += n;
    ++summary_.shards_written;
    for (const auto& s : open.samples) {
      summary_.decode_seconds += s.processed.decode_seconds;
      summary_.encode_seconds += s.processed.encode_seconds;
    }
    open_.pop_front();
  }
}

void ShardRunner::fail(OpenShard& open, SampleOutcome& s, std::string reason, std::string error) {
  s.reason = std::move(reason);
  s.error = std::move(error);
  s.processed.bytes.clear();
  progress_.advance();
  --open.remaining;
}

void ShardRunner::handle(OpenShard& open, SampleOutcome& s, const Bytes& data) {
  s.content_hash = dataset::content_hash(data.data(), data.size());
  if (o_.hash != HashType::none) {
    s.digest = hex_digest(data, o_.hash);
    s.digest_type = hash_type_name(o_.hash);
  }
  if (!o_.verify_hash.empty()) {
    auto expected = s.input.extra.find(o_.verify_hash);
    std::string why = expected != s.input.extra.end() && expected->is_string()
                          ? hash_mismatch(expected->get<std::string>(), s.digest)
                          : fmt::format("no string column '{}' to verify the hash with", o_.verify_hash);
    if (!why.empty()) return fail(open, s, "hash_mismatch", why);
  }
  s.processed = process_image(data, s.input.url, o_.process);
  if (!s.processed.reason.empty()) return fail(open, s, s.processed.reason, s.processed.error);
  progress_.advance();
  --open.remaining;
}

void ShardRunner::submit(OpenShard& open, SampleOutcome& s, std::function<Bytes()> load) {
  pool_.submit([this, &open, &s, load = std::move(load)] {
    Bytes data;
    try {
      data = load();
    } catch (const std::exception& e) {
      return fail(open, s, "not_found", e.what());
    }
    try {
      handle(open, s, data);
    } catch (const std::exception& e) {
      fail(open, s, "internal", e.what());
    }
  });
}

void ShardRunner::dispatch(OpenShard& open, size_t i) {
  SampleOutcome& s = open.samples[i];
  if (!s.input.error.empty()) return fail(open, s, "bad_input", s.input.error);
  if (s.input.has_data) {
    s.attempts = 1;
    auto data = std::make_shared<Bytes>(std::move(s.input.data));
    return submit(open, s, [data] { return std::move(*data); });
  }
  std::string scheme = url_scheme_error(s.input.url);
  if (!scheme.empty()) return fail(open, s, "scheme", scheme);
  if (s.input.url.compare(0, 7, "file://") == 0) {
    s.attempts = 1;
    std::string path = file_url_path(s.input.url);
    return submit(open, s, [path] {
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) throw Error(file_error(path, "no such file"));
      return read_file(path);
    });
  }
  fetcher_.add(open.first + i, s.input.url);
}

}  // namespace tiny::ingest
