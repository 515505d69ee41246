#pragma once
// Turning sources (folders, file lists, JSONL manifests, WebDataset tar shards) into the list of
// images to examine. Tar members are read in place, never extracted.
#include "core/file_io.hpp"
#include "shards/member_index.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tiny::dataset {

struct SourceFile {
  std::string path;      // as opened; "<shard>/<member>" for a tar member
  std::string relative;  // path below its source folder (the file name for lists and manifests,
                         // "<shard name without .tar>/<member>" for tar members)
  std::optional<shards::MemberRef> member = std::nullopt;  // set for a tar member: where its bytes lie in the shard
};

struct SourceProblem {
  std::string path, reason;
};

struct SourceListing {
  std::vector<SourceFile> files;         // in a deterministic order, each path once
  std::vector<SourceProblem> problems;   // entries skipped (symlinks, special files, unreadable
                                         // folders, hostile tar members, corrupt shards)
};

// Expands each source: a folder (recursive, image extensions only, symlinks never followed), a
// ".txt" list (one path per line, relative to the list's folder; "-" reads such a list from stdin, relative
// to the working folder), a ".jsonl" manifest (objects
// with a "path" key, same rule) or an uncompressed ".tar" shard (brace patterns such as
// "data-{000..009}.tar" allowed; members with image extensions, in tar order). Throws Error for a
// source that does not exist or is malformed.
SourceListing list_sources(const std::vector<std::string>& sources);

// Lists `references` (as list_sources) and appends their files to `listing` after its own, first
// dropping from it any file that is also a reference (same absolute path); returns how many files
// were appended. No-op for an empty list.
size_t append_references(SourceListing& listing, const std::vector<std::string>& references);

// True if a file or member name ends in an image extension (.jpg, .png, .webp, ...).
bool is_image_name(const std::string& name);
// Reads a source's bytes: the whole file, or a tar member in place.
Bytes read_source(const SourceFile& file);

}  // namespace tiny::dataset
