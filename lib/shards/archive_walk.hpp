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

enum class EntryKind { file, refused, end, error };

// One step of a walk: a regular file with a safe path (`entry` valid until the next step), a refused
// entry (`reason` says why), the end of the archive, or damage (`reason` is the archive's message).
struct Entry {
  EntryKind kind = EntryKind::end;
  std::string path, reason;
  archive_entry* entry = nullptr;
};

// Reads the next entry header, skipping directories with safe paths; links, devices, fifos and
// absolute or '..' paths come back refused.
Entry next_entry(archive* a);

struct WalkResult {
  size_t entries = 0;
  std::string error;  // non-empty: the archive is corrupt or truncated here, and the walk stopped
};

// Reads every entry header in order (next_entry): regular files with safe paths go to on_file (which
// may read their data; unread data is skipped), refused entries to on_refused.
WalkResult walk_entries(archive* a, const EntryFn& on_file, const RefuseFn& on_refused);

}  // namespace tiny::shards
