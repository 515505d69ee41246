#include "image/encode.hpp"

#include "core/error.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <png.h>
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

void append_png_bytes(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}

// libpng reports errors by longjmp to the setjmp in encode_png; this keeps its message first.
void png_failure(png_structp png, png_const_charp message) {
  *static_cast<std::string*>(png_get_error_ptr(png)) = message;
  png_longjmp(png, 1);
}

// libpng directly (not OpenCV) to choose the row filter and skip a copy to BGR.
Bytes encode_png(const Image& img, const EncodeOptions& o) {
  Bytes out;
  out.reserve(img.pixels.size() / 2);
  std::string why;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &why, png_failure, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("cannot initialise libpng");
  }
  // No object with a destructor is created between here and the end of the writing.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error("PNG encoding failed: " + why);
  }
  png_set_write_fn(png, &out, append_png_bytes, nullptr);
  png_set_IHDR(png, info, img.width, img.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, o.png_filter == PngFilter::up ? PNG_FILTER_UP : PNG_ALL_FILTERS);
  png_set_compression_level(png, std::clamp(o.png_compression, 0, 9));
  png_set_compression_mem_level(png, 9);
  png_write_info(png, info);
  for (int y = 0; y < img.height; ++y) png_write_row(png, const_cast<png_bytep>(img.at(0, y)));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace

Bytes encode_image(const Image& img, Format format, const EncodeOptions& o) {
  if (img.width <= 0 || img.height <= 0 || img.pixels.size() != size_t(img.width) * img.height * 3)
    throw Error("cannot encode an empty or inconsistent image");
  if (format == Format::jpeg) return encode_jpeg(img, o);
  if (format == Format::png) return encode_png(img, o);
  const char* ext = nullptr;
  std::vector<int> params;
  switch (format) {
    case Format::webp:
      ext = ".webp";
      params = {cv::IMWRITE_WEBP_QUALITY, o.webp_lossless ? 101 : std::clamp(o.quality, 1, 101)};
      break;
    case Format::bmp: ext = ".bmp"; break;
    case Format::tiff: ext = ".tiff"; break;
    case Format::pnm: ext = ".ppm"; break;
    default: throw Error("cannot encode to an unknown format");
  }
  cv::Mat rgb(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data())), bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<uint8_t> out;
  if (!cv::imencode(ext, bgr, out, params)) throw Error(std::string("encoding ") + format_name(format) + " failed");
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
