// libtiny_imgcodecs.so: the only library of tiny that links opencv_imgcodecs (see opencv_codecs.hpp).
#include "image/opencv_codecs_module.hpp"

#include <opencv2/imgcodecs.hpp>

namespace {

cv::Mat decode(const uint8_t* data, size_t size, bool color) {
  return cv::imdecode(cv::Mat(1, static_cast<int>(size), CV_8U, const_cast<uint8_t*>(data)),
                      color ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED);
}

bool encode(const std::string& ext, const cv::Mat& bgr, std::vector<uint8_t>& out, int quality) {
  std::vector<int> params;
  if (ext == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, quality};
  return cv::imencode(ext, bgr, out, params);
}

}  // namespace

extern "C" const tiny::image::CvCodecsModule* tiny_imgcodecs_module() {
  static const tiny::image::CvCodecsModule module{&decode, &encode};
  return &module;
}
