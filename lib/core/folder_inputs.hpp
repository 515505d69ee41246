#pragma once
// Command inputs that may be folders: each folder is replaced by the files below it that a command
// takes (recursively, in a deterministic order), remembering their path inside the folder so that
// outputs can mirror it.
#include <functional>
#include <string>
#include <vector>

namespace tiny {

struct InputFile {
  std::string path;      // as given, or the folder joined with the file's path below it
  std::string relative;  // the path below the folder it was found in; empty for inputs given as files
};

// Expands `inputs`: a folder becomes the regular files below it whose names `wanted` accepts (sorted by
// path; symbolic links are not followed), anything else ("-" included) stays as given. Throws
// tiny::Error naming a folder that cannot be read or holds no such file (`what` names them, e.g. "images").
std::vector<InputFile> expand_folders(const std::vector<std::string>& inputs,
                                      const std::function<bool(const std::string& name)>& wanted,
                                      const std::string& what);
// True if the name ends in `extension` (given with its dot), in any case.
bool has_extension(const std::string& name, const std::string& extension);

}  // namespace tiny
