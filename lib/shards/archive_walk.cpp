#include "shards/archive_walk.hpp"

#include "core/error.hpp"
#include "shards/webdataset.hpp"

namespace tiny::shards {
namespace {

// Why an entry's type may not be read, or "" for a regular file.
std::string unsafe_type_reason(archive_entry* e) {
  if (archive_entry_hardlink(e)) return "hard link";
  switch (archive_entry_filetype(e)) {
    case AE_IFREG: return "";
    case AE_IFLNK: return "symbolic link";
    case AE_IFCHR:
    case AE_IFBLK: return "device";
    case AE_IFIFO: return "fifo";
    case AE_IFSOCK: return "socket";
    default: return "not a regular file";
  }
}

}  // namespace

ReadHandle new_reader() {
  ReadHandle a(archive_read_new());
  if (!a) throw Error("libarchive: out of memory");
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  return a;
}

std::string archive_message(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unknown archive error";
}

Entry next_entry(archive* a) {
  for (;;) {
    Entry out;
    int r = archive_read_next_header(a, &out.entry);
    if (r == ARCHIVE_EOF) return out;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {  // ARCHIVE_RETRY (a damaged header) included
      out.kind = EntryKind::error;
      out.reason = archive_message(a);
      return out;
    }
    const char* raw = archive_entry_pathname(out.entry);
    out.path = raw ? raw : "";
    bool directory = archive_entry_filetype(out.entry) == AE_IFDIR && !archive_entry_hardlink(out.entry);
    out.reason = directory ? "" : unsafe_type_reason(out.entry);
    if (out.reason.empty()) out.reason = unsafe_path_reason(out.path);
    out.kind = out.reason.empty() ? EntryKind::file : EntryKind::refused;
    if (out.kind == EntryKind::refused || !directory) return out;
  }
}

WalkResult walk_entries(archive* a, const EntryFn& on_file, const RefuseFn& on_refused) {
  WalkResult result;
  for (;;) {
    Entry e = next_entry(a);
    if (e.kind == EntryKind::end) return result;
    if (e.kind == EntryKind::error) {
      result.error = e.reason;
      return result;
    }
    ++result.entries;
    if (e.kind == EntryKind::refused) on_refused(e.path, e.reason);
    else on_file(e.path, e.entry);
  }
}

}  // namespace tiny::shards
