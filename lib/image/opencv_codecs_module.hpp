#pragma once
// The entry of libtiny_imgcodecs.so (opencv_codecs_module.cpp), shared by the module and its loader
// (opencv_codecs.cpp): `tiny_imgcodecs_module()` returns the table below.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::image {

struct CvCodecsModule {
  cv::Mat (*decode)(const uint8_t* data, size_t size, bool color);  // cv::imdecode, IMREAD_COLOR or UNCHANGED
  bool (*encode)(const std::string& ext, const cv::Mat& bgr, std::vector<uint8_t>& out, int quality);
};

constexpr const char* kCvCodecsModuleFile = "libtiny_imgcodecs.so";
constexpr const char* kCvCodecsModuleEntry = "tiny_imgcodecs_module";

}  // namespace tiny::image
