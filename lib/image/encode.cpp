#include "image/encode.hpp"

#include "core/error.hpp"
#include "image/opencv_codecs.hpp"
#include "image/png_rows.hpp"

#include <opencv2/imgproc.hpp>
#include <turbojpeg.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

namespace tiny::image {
namespace {

Bytes encode_jpeg(const Image& img, const EncodeOptions& o) {
  std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitCompress(), tjDestroy);
  if (!tj) throw Error("cannot initialise libjpeg-turbo");
  unsigned char* out = nullptr;
  unsigned long size = 0;
  int sub = o.chroma == Chroma::s444 ? TJSAMP_444 : TJSAMP_420;
  if (tjCompress2(tj.get(), img.pixels.data(), img.width, 0, img.height, TJPF_RGB, &out, &size, sub,
                  std::clamp(o.quality, 1, 100), TJFLAG_ACCURATEDCT) != 0) {
    std::string why = tjGetErrorStr2(tj.get());
    tjFree(out);
    throw Error("JPEG encoding failed: " + why);
  }
  Bytes bytes(out, out + size);
  tjFree(out);
  return bytes;
}

Bytes encode_png(const Image& img, const EncodeOptions& o) {
  Bytes out;
  out.reserve(img.pixels.size() / 2);
  PngRowEncoder png([&out](const uint8_t* data, size_t size) { out.insert(out.end(), data, data + size); }, o);
  png.start(img.width, img.height);
  png.write(img.pixels.data(), img.height);
  png.finish();
  return out;
}

}  // namespace

Bytes encode_image(const Image& img, Format format, const EncodeOptions& o) {
  if (img.width <= 0 || img.height <= 0 || img.pixels.size() != size_t(img.width) * img.height * 3)
    throw Error("cannot encode an empty or inconsistent image");
  if (format == Format::jpeg) return encode_jpeg(img, o);
  if (format == Format::png) return encode_png(img, o);
  const char* ext = nullptr;
  int quality = 0;
  switch (format) {
    case Format::webp:
      ext = ".webp";
      quality = o.webp_lossless ? 101 : std::clamp(o.quality, 1, 101);
      break;
    case Format::bmp: ext = ".bmp"; break;
    case Format::tiff: ext = ".tiff"; break;
    case Format::pnm: ext = ".ppm"; break;
    default: throw Error("cannot encode to an unknown format");
  }
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data())), bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<uint8_t> out;
  if (!cv_encode(ext, bgr, out, quality)) throw Error(std::string("encoding ") + format_name(format) + " failed");
  return out;
}

Format output_format(const std::string& path) {
  if (path == "-") return Format::png;
  const std::string ext = std::filesystem::path(path).extension().string();
  std::string lower = ext;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == ".png") return Format::png;
  if (lower == ".ppm") return Format::pnm;
  if (lower == ".jpg" || lower == ".jpeg") return Format::jpeg;
  if (lower == ".webp") return Format::webp;
  throw UsageError(file_error(path, (ext.empty() ? std::string("no image extension") : "cannot write images as '" + ext + "'") +
                                        " (supported: .png, .ppm, .jpg, .jpeg, .webp)"));
}

void write_image(const std::string& path, const Image& image, bool overwrite, const EncodeOptions& options) {
  write_file_atomic(path, encode_image(image, output_format(path), options), overwrite);
}

}  // namespace tiny::image
