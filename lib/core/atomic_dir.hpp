#pragma once
// An output folder written as a whole: built under a temporary name beside its destination and renamed
// into place, so the destination holds either its earlier contents or all of the new ones, never a mix.
#include <filesystem>
#include <string>

namespace tiny {

// Throws Error naming `path` if it exists and is anything but an empty folder, unless `replace` and it
// is a folder (call before doing expensive work).
void check_can_replace_folder(const std::string& path, bool replace);

class AtomicDir {
public:
  // Creates the temporary folder beside `path`; refuses `path` as check_can_replace_folder does.
  AtomicDir(std::string path, bool replace);
  // Removes the temporary folder unless commit() ran.
  ~AtomicDir();
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  // Path of a file inside the temporary folder.
  std::string file(const std::string& name) const { return (temp_ / name).string(); }
  // Renames the temporary folder to the destination; an earlier folder there is replaced whole.
  void commit();

private:
  std::string path_;
  std::filesystem::path temp_;
  bool replace_ = false, committed_ = false;
};

}  // namespace tiny
