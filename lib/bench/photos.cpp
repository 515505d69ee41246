#include "bench/photos.hpp"

#include "core/error.hpp"
#include "image/decode.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::bench {

using namespace image;

std::vector<std::string> find_photos(const std::string& folder, size_t count, const std::string& who) {
  std::vector<std::string> found;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw Error(file_error(folder, "no such folder of photos"));
  for (const auto& e : fs::recursive_directory_iterator(folder, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (e.is_regular_file() && (ext == ".jpg" || ext == ".jpeg")) found.push_back(e.path().string());
  }
  if (found.size() < count)
    throw Error(file_error(folder, who + " needs " + std::to_string(count) + " JPEG photos, found " +
                                       std::to_string(found.size())));
  std::sort(found.begin(), found.end());
  found.resize(count);
  return found;
}

Image resized_photo(const std::string& path, int width, int height) {
  Image src = read_image(path);
  cv::Mat m(src.height, src.width, CV_8UC3, src.pixels.data()), big;
  cv::resize(m, big, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  Image out;
  out.width = width;
  out.height = height;
  out.pixels.assign(big.data, big.data + size_t(width) * height * 3);
  return out;
}

}  // namespace tiny::bench
