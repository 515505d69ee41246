#pragma once
// One shard's samples after download and processing, and writing them: the tar of successes in
// key order, then NNNNN_stats.json with every sample's outcome (its existence marks completion).
#include "core/json_file.hpp"
#include "ingest/inputs.hpp"
#include "ingest/process.hpp"

#include <deque>
#include <map>
#include <string>

namespace tiny::ingest {

// A sample's single outcome: `reason` empty for success.
struct SampleOutcome {
  InputRecord input;
  std::string reason, error;
  Processed processed;
  uint64_t content_hash = 0;  // of the downloaded bytes
  long http_status = 0;
  int attempts = 0;
  std::string digest, digest_type;  // their --hash digest (hex) and its type ("sha256", "md5"), if asked for
};

struct ShardResult {
  size_t samples = 0, successes = 0;
  std::map<std::string, size_t> failures;
  uint64_t bytes = 0;
};

// Writes `folder`/NNNNN.tar (samples keyed first_index + i) and then NNNNN_stats.json (with the tar's size).
ShardResult write_shard(const std::string& folder, size_t shard, size_t first_index,
                        const std::deque<SampleOutcome>& samples, double seconds, bool overwrite);

}  // namespace tiny::ingest
