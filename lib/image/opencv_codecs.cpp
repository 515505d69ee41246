#include "image/opencv_codecs.hpp"

#include "core/shared_module.hpp"
#include "image/opencv_codecs_module.hpp"

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
  for (const fs::path& folder : {library_folder(reinterpret_cast<const void*>(&cv_decode)), executable_folder()})
    if (!folder.empty()) paths.push_back(folder / kCvCodecsModuleFile);
  std::error_code ec;
  for (const fs::path& p : paths)
    if (fs::exists(p, ec)) return p;
  return paths.empty() ? fs::path(kCvCodecsModuleFile) : paths.front();
}

const CvCodecsModule* load_module() {
  return static_cast<const CvCodecsModule*>(
      load_module_entry(module_path(), kCvCodecsModuleEntry, "OpenCV's image codecs"));
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
