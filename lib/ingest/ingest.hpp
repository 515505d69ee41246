#pragma once
// `tiny ingest`: input samples (URL lists, folders, tar shards) -> download -> process -> WebDataset
// shards "NNNNN.tar" of `shard_size` samples with "NNNNN_stats.json" beside each. Sample i of the
// input (counting from 0 over all inputs) gets key "%09d" and goes to shard i / shard_size; with
// num_shards = n, run k writes exactly the shards s with s % n == k, so n runs split the input with no
// coordination and no shared output names. A shard is complete once its stats file exists and its tar
// is whole (complete_shard); the run's summary counts complete shards a resumed run skipped, too.
#include "core/json_file.hpp"
#include "net/fetch.hpp"
#include "ingest/process.hpp"
#include "ingest/shard_output.hpp"
#include "ingest/sample_hash.hpp"
#include "ingest/url_list.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tiny::ingest {

struct IngestOptions {
  std::vector<std::string> inputs;  // URL lists, folders, tar shards (brace patterns allowed)
  std::string output;               // folder for the shards (created)
  std::string input_format;         // URL list format ("" = by extension)
  ListColumns columns;
  size_t shard_size = 10000;
  size_t shard_index = 0, num_shards = 1;
  bool resume = false;     // skip complete shards, redo incomplete ones
  bool overwrite = false;  // replace existing shards
  net::FetchOptions fetch;
  ProcessOptions process;
  bool dedup = false;       // drop near-duplicates of earlier kept samples of the run (the views of
                            // filter-dataset, dataset/view_stream.hpp)
  int dedup_threshold = dataset::kFineThreshold;           // fine threshold
  int dedup_coarse_threshold = dataset::kCoarseThreshold;  // candidate stage
  bool dedup_flips = false;                                // also mirrored copies
  int threads = 0;          // decode/encode threads (0: tiny's thread count)
  HashType hash = HashType::none;  // digest of the downloaded bytes stored in each sample's JSON
  std::string verify_hash;         // list column holding the expected digest (needs hash): mismatch fails the sample
};

struct IngestSummary {
  size_t samples = 0, successes = 0, shards_written = 0, shards_skipped = 0, tar_members_rejected = 0;
  size_t captions_repaired = 0;            // captions whose bytes that were not UTF-8 became U+FFFD
  std::map<std::string, size_t> failures;  // reason -> count
  std::vector<std::string> input_errors;   // tar shards read only up to damage (InputStream::input_errors)
  uint64_t bytes = 0;                      // image bytes written
  double seconds = 0;
  double fetch_seconds = 0;   // wall time of the download loop
  double decode_seconds = 0;  // CPU time in decode + resize (summed over threads)
  double encode_seconds = 0;  // CPU time in encode
  double tar_seconds = 0;     // wall time writing shards
  // Counts a shard skipped as complete as if this run had written it.
  void add_skipped(const ShardResult& shard);
  // Samples that failed: every failure reason but the filters the options asked for (is_filter_reason).
  size_t failed() const;
  Json to_json() const;
};

// True for the outcomes that options chose (a filter), not a failure of the input: too_small, aspect,
// area, duplicate.
bool is_filter_reason(const std::string& reason);
// The counts of shard `shard` in `folder` if it is complete: its stats file parses, its tar has the
// size the stats record and reads to its end holding as many samples as the stats count successes.
// nullopt for a missing, truncated or damaged shard (resume redoes it).
std::optional<ShardResult> complete_shard(const std::string& folder, size_t shard);
// Runs the ingest; writes the shards, their stats and the run summary; returns the summary.
// Throws UsageError for bad options or an output folder that already has shards (without
// resume/overwrite), Error for I/O failures. Per-sample failures are counted, never thrown.
IngestSummary run_ingest(const IngestOptions& options);

}  // namespace tiny::ingest
