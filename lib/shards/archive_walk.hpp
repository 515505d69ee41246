#pragma once
// libarchive plumbing shared by the shard readers: a reader handle that takes tar with built-in
// decompressors only, error text, and a walk over entry headers that refuses every hostile member.
#include <archive.h>
#include <archive_entry.h>

#include <functional>
#include <memory>
#include <string>

namespace tiny::shards {

struct ArchiveReadCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ReadHandle = std::unique_ptr<archive, ArchiveReadCloser>;

// A tar reader accepting gzip, bzip2, xz and zstd compression (no external programs on untrusted input).
ReadHandle new_reader();
// The archive's last error message.
std::string archive_message(archive* a);

using EntryFn = std::function<void(const std::string& path, archive_entry* e)>;
using RefuseFn = std::function<void(const std::string& path, const std::string& reason)>;

struct WalkResult {
  size_t entries = 0;
  std::string error;  // non-empty: the archive is corrupt or truncated here, and the walk stopped
};

// Reads every entry header in order: regular files with safe paths go to on_file (which may read
// their data; unread data is skipped), every other entry (links, devices, fifos, absolute or '..'
// paths) to on_refused; directories with safe paths are skipped.
WalkResult walk_entries(archive* a, const EntryFn& on_file, const RefuseFn& on_refused);

}  // namespace tiny::shards
