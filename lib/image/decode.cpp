#include "image/decode.hpp"

#include "core/error.hpp"
#include "image/exif.hpp"
#include "image/opencv_codecs.hpp"
#include "image/png_decode.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <turbojpeg.h>

#include <memory>

namespace tiny::image {
namespace {

struct TjDeleter {
  void operator()(void* h) const { tjDestroy(h); }
};
using TjHandle = std::unique_ptr<void, TjDeleter>;

// Largest power-of-two reduction (1, 2, 4, 8) that keeps the image at least min_w x min_h.
int idct_reduction(int w, int h, int min_w, int min_h) {
  if (min_w <= 0 && min_h <= 0) return 1;
  int best = 1;
  for (int d : {2, 4, 8}) {
    int sw = (w + d - 1) / d, sh = (h + d - 1) / d;
    if (sw >= min_w && sh >= min_h) best = d;
  }
  return best;
}

// Decodes with libjpeg-turbo; returns false (leaving `out` empty) if it cannot handle the file,
// in which case OpenCV gets a try.
bool decode_jpeg_turbo(const uint8_t* data, size_t size, const ImageInfo& info, const std::string& origin,
                       const DecodeOptions& options, Image& out) {
  TjHandle tj(tjInitDecompress());
  if (!tj) return false;
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, static_cast<unsigned long>(size), &w, &h, &subsamp, &colorspace) != 0)
    return false;
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) return false;
  // The requested minimum is in display orientation; the IDCT works on stored orientation.
  int min_w = info.orientation >= 5 && options.apply_orientation ? options.min_height : options.min_width;
  int min_h = info.orientation >= 5 && options.apply_orientation ? options.min_width : options.min_height;
  int d = idct_reduction(w, h, min_w, min_h);
  int sw = (w + d - 1) / d, sh = (h + d - 1) / d;
  out.width = sw;
  out.height = sh;
  out.pixels.resize(static_cast<size_t>(sw) * sh * 3);
  if (tjDecompress2(tj.get(), data, static_cast<unsigned long>(size), out.pixels.data(), sw, 0, sh, TJPF_RGB,
                    TJFLAG_FASTDCT) != 0) {
    if (tjGetErrorCode(tj.get()) != TJERR_WARNING) {
      out = Image();
      return false;
    }
    if (!options.allow_truncated)
      throw Error(file_error(origin, std::string("truncated or corrupt JPEG data (") + tjGetErrorStr2(tj.get()) + ")"));
    out.truncated = true;
  }
  return true;
}

Image from_mat(const cv::Mat& decoded, const DecodeOptions& options) {
  cv::Mat m = decoded;
  if (m.depth() == CV_16U) {
    m.convertTo(m, CV_8U, 255.0 / 65535.0);
  } else if (m.depth() == CV_32F || m.depth() == CV_64F) {
    m.convertTo(m, CV_8U, 255.0);
  } else if (m.depth() != CV_8U) {
    m.convertTo(m, CV_8U);
  }
  cv::Mat rgb;
  switch (m.channels()) {
    case 1: cv::cvtColor(m, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB); break;
    case 4:
      if (options.alpha == Alpha::white) {
        cv::Mat out(m.rows, m.cols, CV_8UC3);
        for (int y = 0; y < m.rows; ++y) {
          const uint8_t* s = m.ptr<uint8_t>(y);
          uint8_t* o = out.ptr<uint8_t>(y);
          for (int x = 0; x < m.cols; ++x, s += 4, o += 3) {
            int a = s[3];
            for (int c = 0; c < 3; ++c) o[c] = uint8_t((s[2 - c] * a + 255 * (255 - a) + 127) / 255);
          }
        }
        rgb = out;
      } else {
        cv::cvtColor(m, rgb, cv::COLOR_BGRA2RGB);
      }
      break;
    default: throw Error("unsupported channel count " + std::to_string(m.channels()));
  }
  Image img;
  img.width = rgb.cols;
  img.height = rgb.rows;
  img.pixels.resize(static_cast<size_t>(rgb.cols) * rgb.rows * 3);
  for (int y = 0; y < rgb.rows; ++y)
    std::copy(rgb.ptr<uint8_t>(y), rgb.ptr<uint8_t>(y) + rgb.cols * 3, img.pixels.data() + size_t(y) * rgb.cols * 3);
  return img;
}

}  // namespace

void check_decode_limits(const ImageInfo& info, size_t size, const DecodeOptions& options, const std::string& origin) {
  std::string dims = std::to_string(info.width) + "x" + std::to_string(info.height);
  uint64_t pixels = uint64_t(info.width) * uint64_t(info.height);
  if (pixels > options.max_pixels)
    throw Error(file_error(origin, "image is " + dims + ", above the limit of " + std::to_string(options.max_pixels) +
                                       " pixels (raise max_pixels to allow it)"));
  uint64_t least = 0;  // bytes the smallest valid encoding of this many pixels takes
  if (info.format == Format::png) {
    uint64_t row = 1 + (uint64_t(info.width) * uint64_t(info.channels) * uint64_t(info.bit_depth) + 7) / 8;
    least = row * uint64_t(info.height) / 1032;
  } else if (info.format == Format::jpeg && !info.arithmetic) {
    least = (uint64_t(info.width) + 7) / 8 * ((uint64_t(info.height) + 7) / 8) / 8;
  }
  if (uint64_t(size) < least)
    throw Error(file_error(origin, "header claims " + dims + " pixels, which take at least " + std::to_string(least) +
                                       " bytes of " + format_name(info.format) + " data, but the file has " +
                                       std::to_string(size) + " (corrupt, or a decompression bomb)"));
}

Image decode_image(const uint8_t* data, size_t size, const std::string& origin, const DecodeOptions& options) {
  ImageInfo info = probe_image(data, size, origin);
  check_decode_limits(info, size, options, origin);
  Image img;
  if (info.format == Format::png) {
    img = from_mat(decode_png(data, size, origin), options);
  } else if (info.format != Format::jpeg || !decode_jpeg_turbo(data, size, info, origin, options, img)) {
    cv::Mat decoded;
    try {
      decoded = cv_decode(data, size, CvRead::unchanged);
    } catch (const cv::Exception& e) {
      throw Error(file_error(origin, std::string("cannot decode ") + format_name(info.format) + ": " + e.err));
    }
    if (decoded.empty())
      throw Error(file_error(origin, std::string("cannot decode ") + format_name(info.format) +
                                         " (corrupt or truncated data)"));
    img = from_mat(decoded, options);
  }
  if (options.apply_orientation && info.orientation != 1) img = apply_orientation(img, info.orientation);
  return img;
}

Image decode_image(const Bytes& bytes, const std::string& origin, const DecodeOptions& options) {
  return decode_image(bytes.data(), bytes.size(), origin, options);
}

Image read_image(const std::string& path, const DecodeOptions& options) {
  Bytes bytes = read_file(path);
  return decode_image(bytes, path, options);
}

}  // namespace tiny::image
