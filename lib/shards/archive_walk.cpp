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

WalkResult walk_entries(archive* a, const EntryFn& on_file, const RefuseFn& on_refused) {
  WalkResult result;
  archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) return result;
    if (r < ARCHIVE_WARN) {
      result.error = archive_message(a);
      return result;
    }
    ++result.entries;
    const char* raw = archive_entry_pathname(e);
    std::string path = raw ? raw : "";
    bool directory = archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e);
    std::string reason = directory ? "" : unsafe_type_reason(e);
    if (reason.empty()) reason = unsafe_path_reason(path);
    if (!reason.empty()) on_refused(path, reason);
    else if (!directory) on_file(path, e);
  }
}

}  // namespace tiny::shards
