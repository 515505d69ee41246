#include "core/atomic_dir.hpp"

#include "core/error.hpp"

#include <stdio.h>
#include <stdlib.h>

#include <cerrno>

namespace tiny {
namespace fs = std::filesystem;
namespace {

// The folder a path names, without a trailing separator ("report/" is "report").
fs::path folder_path(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

// A new empty folder <parent of path>/.<name>.<tag>-XXXXXX.
fs::path sibling_folder(const std::string& path, const std::string& tag) {
  const fs::path p = folder_path(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + p.filename().string() + "." + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data()))
    throw Error(file_error(path, "cannot create a temporary folder beside it: " + errno_text()));
  return pattern;
}

}  // namespace

void check_can_replace_folder(const std::string& path, bool replace) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status)) throw Error(file_error(path, "exists and is not a folder"));
  if (!replace && !fs::is_empty(path, ec))
    throw Error(file_error(path, "already exists and is not empty (use --force to replace it whole)"));
}

AtomicDir::AtomicDir(std::string path, bool replace) : path_(folder_path(path).string()), replace_(replace) {
  check_can_replace_folder(path_, replace_);
  std::error_code ec;
  fs::create_directories(fs::path(path_).parent_path(), ec);
  temp_ = sibling_folder(path_, "tmp");
  fs::permissions(temp_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec, ec);
}

AtomicDir::~AtomicDir() {
  std::error_code ec;
  if (!committed_) fs::remove_all(temp_, ec);
}

void AtomicDir::commit() {
  if (committed_) return;
  // rename() replaces an empty folder; a full one (an earlier folder given replace) is moved aside first.
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    if (errno != ENOTEMPTY && errno != EEXIST) throw Error(file_error(path_, "cannot rename into place: " + errno_text()));
    check_can_replace_folder(path_, replace_);
    const fs::path old = sibling_folder(path_, "old");
    if (::rename(path_.c_str(), old.c_str()) != 0) {
      std::error_code ec;
      fs::remove(old, ec);
      throw Error(file_error(path_, "cannot move the earlier folder aside: " + errno_text()));
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      const std::string why = errno_text();
      ::rename(old.c_str(), path_.c_str());
      throw Error(file_error(path_, "cannot rename into place: " + why));
    }
    std::error_code ec;
    fs::remove_all(old, ec);
  }
  committed_ = true;
}

}  // namespace tiny
