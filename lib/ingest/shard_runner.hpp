#pragma once
// Runs shards through download and processing with two shards open at once: while the last
// transfers of one shard finish, the next shard's downloads are already going, so a slow host does
// not stall the run at every shard boundary. Shards are written in order as they complete. Samples
// are dispatched as they arrive, so input bytes (tar members) wait in the bounded job queue only.
#include "core/progress.hpp"
#include "core/stopwatch.hpp"
#include "dataset/view_stream.hpp"
#include "net/fetch.hpp"
#include "ingest/ingest.hpp"
#include "ingest/shard_output.hpp"
#include "ingest/worker_pool.hpp"

#include <atomic>
#include <deque>
#include <memory>

namespace tiny::ingest {

class ShardRunner {
public:
  // Keeps a reference to all three; `summary` is updated as shards are written.
  ShardRunner(const IngestOptions& options, IngestSummary& summary, Progress& progress);
  ~ShardRunner();
  ShardRunner(const ShardRunner&) = delete;
  ShardRunner& operator=(const ShardRunner&) = delete;

  // Opens a shard whose samples are input indices first_index, first_index + 1, ...
  void open(size_t shard, size_t first_index);
  // Dispatches the next sample of the shard opened last.
  void add(InputRecord record);
  // Ends the shard opened last; returns once fewer than two shards are open, writing the ones that completed.
  void close();
  // Completes and writes every open shard.
  void finish();

private:
  struct OpenShard {
    size_t shard = 0, first = 0;
    std::deque<SampleOutcome> samples;  // a deque: jobs hold references to its elements
    std::atomic<size_t> remaining{0};
    bool closed = false;
    Stopwatch start;
  };

  void drive();
  void write_completed();
  void dispatch(OpenShard& open, size_t i);
  void fail(OpenShard& open, SampleOutcome& s, std::string reason, std::string error);
  void handle(OpenShard& open, SampleOutcome& s, const Bytes& data);
  void submit(OpenShard& open, SampleOutcome& s, std::function<Bytes()> load);

  const IngestOptions& o_;
  IngestSummary& summary_;
  Progress& progress_;
  dataset::ViewStreamIndex dedup_;
  std::deque<std::unique_ptr<OpenShard>> open_;
  net::Fetcher fetcher_;   // one for the run, so connections are reused across shards
  WorkerPool pool_;   // declared last: joined first, while the shards its jobs touch still exist
};

}  // namespace tiny::ingest
