#pragma once
// Deciding which files to keep: failures and filtered files out, then exact and near duplicates
// grouped (union-find over content-hash matches and index pairs) with one keeper per group.
#include "dataset/analyze.hpp"

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

struct Selection {
  std::vector<size_t> kept;            // record indices, ascending
  std::vector<RemovedFile> removed;    // ascending by index
  std::vector<DuplicateGroup> groups;  // ordered by smallest member
};

// Selects files. Keep order: policy first, then earlier index (so the result is deterministic).
Selection select_files(const std::vector<FileRecord>& records, HashKind kind, int threshold, KeepPolicy policy);

}  // namespace tiny::dataset
