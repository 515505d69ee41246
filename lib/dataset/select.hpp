#pragma once
// Deciding which files to keep: failures and filtered files out, then exact and near duplicates
// grouped (union-find over content-hash matches and index pairs) with one keeper per group. Files
// from reference sources are never removed: a group holding one keeps it and removes the others.
#include "dataset/analyze.hpp"
#include "dataset/near_dup_index.hpp"

#include <string>
#include <vector>

namespace tiny::dataset {

enum class KeepPolicy { largest, largest_file, oldest, first };

// Parses "largest", "largest-file", "oldest" or "first"; throws UsageError otherwise.
KeepPolicy keep_policy_from_name(const std::string& name);

struct DuplicateGroup {
  std::vector<size_t> members;  // record indices, ascending
  size_t keep = 0;              // the member kept
};

struct RemovedFile {
  size_t index = 0;
  std::string reason;
};

// How near duplicates are matched: the hash kind and its threshold (for views, the fine threshold,
// with the coarse threshold of the candidate stage).
struct MatchSettings {
  HashKind kind = HashKind::views;
  int threshold = kFineThreshold;
  int coarse_threshold = kCoarseThreshold;
};

// The distance of a near-duplicate pair under the settings (views: match_distance, kNoMatch if no
// pair of views passes the coarse stage).
int record_distance(const FileRecord& a, const FileRecord& b, const MatchSettings& m);

struct Selection {
  std::vector<size_t> kept;            // record indices, ascending (reference files are not listed)
  std::vector<size_t> references;      // the reference files, ascending
  std::vector<RemovedFile> removed;    // ascending by index
  std::vector<DuplicateGroup> groups;  // ordered by smallest member; groups of reference files only are left out
  std::vector<HashPair> pairs;         // record pairs within the threshold + histogram_margin (near misses too)
  MatchSettings match;
};

// How far above the threshold Selection::pairs reaches (for the report's histogram): bits / 16.
int histogram_margin(HashKind kind);

// Selects files. Keep order: policy first, then earlier index (so the result is deterministic).
Selection select_files(const std::vector<FileRecord>& records, const MatchSettings& match, KeepPolicy policy);

}  // namespace tiny::dataset
