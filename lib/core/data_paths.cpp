#include "core/data_paths.hpp"

#include "core/error.hpp"

#include <cstdlib>
#include <vector>

namespace tiny {
namespace fs = std::filesystem;

fs::path install_root() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path().parent_path();
}

fs::path shipped_file(const std::string& relative) { return install_root() / relative; }

std::string find_data_set(const std::string& name, const std::string& given) {
  if (!given.empty()) return given;
  std::vector<fs::path> candidates;
  if (const char* d = std::getenv("TINY_DATA")) candidates.push_back(fs::path(d) / name);
  candidates.push_back(fs::current_path() / "../shared/data" / name);
  if (fs::path root = install_root(); !root.empty()) candidates.push_back(root / "../shared/data" / name);
  if (fs::path cache = data_cache_folder(name); !cache.empty()) candidates.push_back(cache);
  std::string tried;
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return c.lexically_normal().string();
    tried += (tried.empty() ? "" : ", ") + c.lexically_normal().string();
  }
  throw Error("no '" + name + "' data set found (tried " + tried + "); put it in one of these folders, set "
              "TINY_DATA to the folder that holds " + name + "/, or pass its folder explicitly");
}

fs::path data_cache_folder(const std::string& name) {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "tiny" / name;
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache/tiny" / name;
  return {};
}

}  // namespace tiny
