#include "core/scratch_dir.hpp"

#include "core/error.hpp"

#include <stdlib.h>

namespace tiny {

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw Error(file_error(pattern, "cannot create a temporary folder: " + errno_text()));
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace tiny
