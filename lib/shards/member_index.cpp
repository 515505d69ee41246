#include "shards/member_index.hpp"

#include "core/error.hpp"
#include "shards/archive_walk.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tiny::shards {
namespace {

// A read-only descriptor closed on scope exit, with the file's status.
class OpenFile {
public:
  explicit OpenFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw Error(file_error(path, "cannot open: " + errno_text()));
    if (::fstat(fd_, &st_) != 0 || !S_ISREG(st_.st_mode)) {
      ::close(fd_);
      throw Error(file_error(path, "not a regular file"));
    }
  }
  ~OpenFile() { ::close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }
  uint64_t size() const { return uint64_t(st_.st_size); }
  int64_t mtime_ns() const { return int64_t(st_.st_mtim.tv_sec) * 1'000'000'000 + st_.st_mtim.tv_nsec; }

private:
  int fd_;
  struct stat st_ {};
};

}  // namespace

ShardIndex index_shard(const std::string& path) {
  OpenFile file(path);
  ReadHandle a = new_reader();
  if (archive_read_open_fd(a.get(), file.fd(), 1 << 16) != ARCHIVE_OK) throw Error(file_error(path, archive_message(a.get())));
  if (archive_filter_code(a.get(), 0) != ARCHIVE_FILTER_NONE)
    throw Error(file_error(path, "compressed shards cannot be read in place (decompress it to .tar)"));
  ShardIndex index;
  auto refuse = [&](const std::string& name, const std::string& reason) { index.refused.push_back({name, reason}); };
  auto on_file = [&](const std::string& name, archive_entry* e) {
    if (archive_entry_sparse_count(e) > 0) return refuse(name, "sparse member");
    if (archive_entry_size(e) < 0) return refuse(name, "member of unknown size");
    // Nothing of the member has been consumed yet: the stream position is where its bytes start.
    index.members.push_back({path, file.size(), file.mtime_ns(), name, uint64_t(archive_filter_bytes(a.get(), 0)),
                             uint64_t(archive_entry_size(e)), int64_t(archive_entry_mtime(e))});
  };
  WalkResult walk = walk_entries(a.get(), on_file, refuse);
  if (walk.entries == 0 && !walk.error.empty()) throw Error(file_error(path, walk.error));
  index.error = walk.error;
  return index;
}

Bytes read_member(const MemberRef& m) {
  OpenFile file(m.shard);
  if (file.size() != m.shard_size || file.mtime_ns() != m.shard_mtime_ns)
    throw Error(file_error(member_path(m), "the shard changed since it was indexed"));
  Bytes out(m.size);
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(file.fd(), out.data() + got, out.size() - got, off_t(m.offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(file_error(member_path(m), "read failed: " + errno_text()));
    if (n == 0) throw Error(file_error(member_path(m), "truncated member"));
    got += size_t(n);
  }
  return out;
}

std::string member_path(const MemberRef& m) { return m.shard + "/" + m.name; }

}  // namespace tiny::shards
