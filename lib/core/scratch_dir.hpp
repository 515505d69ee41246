#pragma once
// A private temporary folder for a command's intermediate files, removed with its contents however
// the command ends.
#include <filesystem>
#include <string>

namespace tiny {

class ScratchDir {
public:
  // Creates <temp>/<prefix>-XXXXXX; throws Error if it cannot.
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Path of a file inside the folder.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

}  // namespace tiny
