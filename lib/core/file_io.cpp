#include "core/file_io.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>

namespace tiny {
namespace fs = std::filesystem;

namespace {
Bytes read_stream(std::istream& in) {
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_all(int fd, std::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(file_error(path, "write failed: " + errno_text()));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}
}  // namespace

Bytes read_file(const std::string& path) {
  if (path == "-") {
    std::ios::sync_with_stdio(false);
    return read_stream(std::cin);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(file_error(path, "cannot open: " + errno_text()));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(file_error(path, "not a regular file"));
  }
  Bytes out;
  out.reserve(static_cast<size_t>(st.st_size));
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = errno_text();
      ::close(fd);
      throw Error(file_error(path, "read failed: " + why));
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

std::string read_text_file(const std::string& path) {
  Bytes b = read_file(path);
  return std::string(b.begin(), b.end());
}

void check_can_write(const std::string& path, bool overwrite) {
  if (path == "-" || overwrite) return;
  std::error_code ec;
  if (fs::exists(path, ec)) throw Error(file_error(path, "already exists (use --force to overwrite)"));
}

AtomicFile::AtomicFile(std::string path, bool overwrite) : path_(std::move(path)), overwrite_(overwrite) {
  check_can_write(path_, overwrite_);
  fs::path p(path_);
  fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) throw Error(file_error(path_, "cannot create a temporary file beside it: " + errno_text()));
  temp_ = pattern;
  ::fchmod(fd_, 0644);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view data) { write_all(fd_, data, path_); }

void AtomicFile::commit() {
  if (committed_) return;
  if (::fsync(fd_) != 0) throw Error(file_error(path_, "fsync failed: " + errno_text()));
  ::close(fd_);
  fd_ = -1;
  if (overwrite_) {
    if (::rename(temp_.c_str(), path_.c_str()) != 0)
      throw Error(file_error(path_, "cannot rename into place: " + errno_text()));
  } else {
    // link() fails if the destination appeared meanwhile: never replace a file without --force.
    if (::link(temp_.c_str(), path_.c_str()) != 0) {
      if (errno == EEXIST) throw Error(file_error(path_, "already exists (use --force to overwrite)"));
      if (::rename(temp_.c_str(), path_.c_str()) != 0)
        throw Error(file_error(path_, "cannot rename into place: " + errno_text()));
    } else {
      ::unlink(temp_.c_str());
    }
  }
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view data, bool overwrite) {
  if (path == "-") {
    write_all(STDOUT_FILENO, data, "<stdout>");
    return;
  }
  AtomicFile f(path, overwrite);
  f.write(data);
  f.commit();
}

void write_file_atomic(const std::string& path, const Bytes& data, bool overwrite) {
  write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), overwrite);
}

}  // namespace tiny
