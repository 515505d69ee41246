#include "image/opencv_codecs.hpp"

#include "core/error.hpp"
#include "image/opencv_codecs_module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <vector>

namespace tiny::image {
namespace {

namespace fs = std::filesystem;

// The module beside the library this code is linked into (libtiny.so), or else beside the running
// executable (programs that link tiny's modules statically); the first when neither exists.
fs::path module_path() {
  std::vector<fs::path> paths;
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&cv_decode), &self) && self.dli_fname &&
      fs::path(self.dli_fname).has_parent_path())
    paths.push_back(fs::path(self.dli_fname).parent_path() / kCvCodecsModuleFile);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back(exe.parent_path() / kCvCodecsModuleFile);
  for (const fs::path& p : paths)
    if (fs::exists(p, ec)) return p;
  return paths.empty() ? fs::path(kCvCodecsModuleFile) : paths.front();
}

const CvCodecsModule* load_module() {
  const fs::path path = module_path();
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) throw Error(file_error(path.string(), std::string("cannot load OpenCV's image codecs: ") + dlerror()));
  using Entry = const CvCodecsModule* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, kCvCodecsModuleEntry));
  if (!entry) throw Error(file_error(path.string(), std::string("not tiny's image codecs module (no ") + kCvCodecsModuleEntry + ")"));
  return entry();
}

const CvCodecsModule& codecs() {
  static const CvCodecsModule* module = load_module();  // thread-safe; retried after a failure
  return *module;
}

}  // namespace

cv::Mat cv_decode(const uint8_t* data, size_t size, CvRead mode) {
  return codecs().decode(data, size, mode == CvRead::color);
}

bool cv_encode(const std::string& ext, const cv::Mat& bgr, std::vector<uint8_t>& out, int quality) {
  return codecs().encode(ext, bgr, out, quality);
}

}  // namespace tiny::image
