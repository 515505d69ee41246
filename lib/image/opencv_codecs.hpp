#pragma once
// OpenCV's image codecs, for what tiny does not decode or encode natively (WebP, TIFF, BMP, PNM,
// CMYK JPEG, ...). opencv_imgcodecs pulls in ~140 libraries (GDAL, GDCM, ...), ~65 ms and ~50 MB at
// process start, so libtiny does not link it: it lives in the module libtiny_imgcodecs.so beside
// libtiny.so, loaded with dlopen the first time one of these functions runs.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::image {

enum class CvRead { unchanged, color };  // as stored (depth and alpha kept), or 8-bit BGR

// Decodes an image file held in memory; an empty matrix when OpenCV cannot. Throws Error naming the
// module when it cannot be loaded; OpenCV's own failures come as cv::Exception.
cv::Mat cv_decode(const uint8_t* data, size_t size, CvRead mode);
// Encodes a BGR matrix as `ext` (".webp", ".bmp", ".tiff", ".ppm"; quality: WebP's, 101 lossless);
// false when OpenCV fails. Throws Error naming the module when it cannot be loaded.
bool cv_encode(const std::string& ext, const cv::Mat& bgr, std::vector<uint8_t>& out, int quality);

}  // namespace tiny::image
