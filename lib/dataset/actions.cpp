#include "dataset/actions.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/progress.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>

#include <fcntl.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw Error(file_error(path, "cannot open to sync: " + errno_text()));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Error(file_error(path, "fsync failed: " + errno_text()));
}

std::string parent_or_dot(const std::string& path) {
  std::string p = fs::path(path).parent_path().string();
  return p.empty() ? "." : p;
}

}  // namespace

Action action_from_name(const std::string& name) {
  for (Action a : {Action::list, Action::copy, Action::hardlink, Action::symlink, Action::move, Action::shards})
    if (name == action_name(a)) return a;
  throw UsageError("unknown action '" + name + "' (choose list, copy, hardlink, symlink, move or shards)");
}

const char* action_name(Action action) {
  switch (action) {
    case Action::list: return "list";
    case Action::copy: return "copy";
    case Action::hardlink: return "hardlink";
    case Action::symlink: return "symlink";
    case Action::move: return "move";
    case Action::shards: return "shards";
  }
  return "?";
}

void check_action(const std::vector<SourceFile>& files, Action action) {
  if (action != Action::hardlink && action != Action::symlink && action != Action::move) return;
  for (const auto& f : files)
    if (f.member)
      throw UsageError(file_error(f.path, std::string("a tar member cannot be placed with action ") + action_name(action) +
                                              " (use copy or shards)"));
}

void copy_file_durable(const std::string& from, const std::string& to) {
  std::string tmp = to + ".tiny-partial";
  std::error_code ec;
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(file_error(from, "cannot copy to " + to + ": " + ec.message()));
  }
  fsync_path(tmp, false);
  if (std::rename(tmp.c_str(), to.c_str()) != 0) {
    std::string why = errno_text();
    fs::remove(tmp, ec);
    throw Error(file_error(to, "cannot rename into place: " + why));
  }
  fsync_path(parent_or_dot(to), true);
}

void move_file(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) == 0) {
    fsync_path(parent_or_dot(to), true);
    return;
  }
  if (errno != EXDEV) throw Error(file_error(from, "cannot move to " + to + ": " + errno_text()));
  copy_file_durable(from, to);
  if (::unlink(from.c_str()) != 0) throw Error(file_error(from, "copied to " + to + " but cannot remove: " + errno_text()));
}

void place_files(const std::vector<SourceFile>& files, const std::string& out_dir, Action action) {
  if (action == Action::list || action == Action::shards) return;
  check_action(files, action);
  std::set<std::string> targets;
  std::vector<std::string> dest;
  for (const auto& f : files) {
    fs::path rel = fs::path(f.relative).lexically_normal();
    if (rel.empty() || rel.is_absolute() || *rel.begin() == "..")
      throw Error(file_error(f.path, "unsafe destination name " + f.relative));
    std::string to = (fs::path(out_dir) / rel).string();
    if (!targets.insert(to).second) throw Error(file_error(to, "two kept files have this destination"));
    std::error_code ec;
    if (fs::exists(fs::symlink_status(to, ec))) throw Error(file_error(to, "destination exists"));
    dest.push_back(to);
  }
  Progress progress("placing kept files", files.size(), "files");
  for (size_t i = 0; i < files.size(); ++i, progress.advance()) {
    const std::string& from = files[i].path;
    const std::string& to = dest[i];
    std::error_code ec;
    fs::create_directories(fs::path(to).parent_path(), ec);
    if (ec) throw Error(file_error(to, "cannot create folder: " + ec.message()));
    switch (action) {
      case Action::copy:
        if (files[i].member) write_file_atomic(to, read_source(files[i]), false);
        else copy_file_durable(from, to);
        break;
      case Action::hardlink:
        fs::create_hard_link(from, to, ec);
        if (ec) throw Error(file_error(to, "cannot hard-link: " + ec.message()));
        break;
      case Action::symlink:
        fs::create_symlink(fs::absolute(from), to, ec);
        if (ec) throw Error(file_error(to, "cannot create symbolic link: " + ec.message()));
        break;
      case Action::move: move_file(from, to); break;
      case Action::list:
      case Action::shards: break;
    }
  }
  progress.finish();
}

}  // namespace tiny::dataset
