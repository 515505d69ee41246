#include "core/folder_inputs.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace tiny {

namespace fs = std::filesystem;

std::vector<InputFile> expand_folders(const std::vector<std::string>& inputs,
                                      const std::function<bool(const std::string&)>& wanted, const std::string& what) {
  std::vector<InputFile> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input == "-" || !fs::is_directory(input, ec)) {
      out.push_back({input, ""});
      continue;
    }
    std::vector<InputFile> found;
    fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& e = *it;
      std::error_code ignored;
      if (!e.is_symlink(ignored) && e.is_regular_file(ignored) && wanted(e.path().filename().string()))
        found.push_back({e.path().string(), e.path().lexically_relative(input).string()});
    }
    if (ec) throw Error(file_error(input, "cannot read the folder: " + ec.message()));
    if (found.empty()) throw Error(file_error(input, "no " + what + " in this folder"));
    std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

bool has_extension(const std::string& name, const std::string& extension) {
  if (name.size() <= extension.size()) return false;
  return std::equal(extension.rbegin(), extension.rend(), name.rbegin(),
                    [](char a, char b) { return std::tolower((unsigned char)a) == std::tolower((unsigned char)b); });
}

}  // namespace tiny
