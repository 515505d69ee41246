#pragma once
// Turning sources (folders, file lists, JSONL manifests) into the list of image files to examine.
#include <string>
#include <vector>

namespace tiny::dataset {

struct SourceFile {
  std::string path;      // as opened
  std::string relative;  // path below its source folder (the file name for lists and manifests)
};

struct SourceProblem {
  std::string path, reason;
};

struct SourceListing {
  std::vector<SourceFile> files;         // in a deterministic order, each path once
  std::vector<SourceProblem> problems;   // entries skipped (symlinks, special files, unreadable folders)
};

// Expands each source: a folder (recursive, image extensions only, symlinks never followed), a
// ".txt" list (one path per line, relative to the list's folder) or a ".jsonl" manifest (objects
// with a "path" key, same rule). Throws Error for a source that does not exist or is malformed.
SourceListing list_sources(const std::vector<std::string>& sources);

}  // namespace tiny::dataset
