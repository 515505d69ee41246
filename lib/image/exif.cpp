#include "image/exif.hpp"

#include "image/byte_reader.hpp"

#include <opencv2/core.hpp>

#include <cstring>

namespace tiny::image {
using detail::ByteReader;

TiffFields parse_tiff_ifd0(const uint8_t* data, size_t size) {
  ByteReader r(data, size);
  if (r.matches(0, "II*\0", 4)) {
    r.set_little_endian(true);
  } else if (!r.matches(0, "MM\0*", 4)) {
    throw detail::OutOfData();
  }
  TiffFields f;
  size_t ifd = r.u32(4);
  unsigned count = r.u16(ifd);
  for (unsigned i = 0; i < count; ++i) {
    size_t e = ifd + 2 + 12 * size_t(i);
    unsigned tag = r.u16(e), type = r.u16(e + 2);
    uint32_t n = r.u32(e + 4);
    auto value = [&]() -> uint32_t { return type == 3 ? r.u16(e + 8) : r.u32(e + 8); };
    switch (tag) {
      case 0x0100: f.width = int(value()); break;
      case 0x0101: f.height = int(value()); break;
      case 0x0102: f.bits = n <= 2 ? int(r.u16(e + 8)) : int(r.u16(r.u32(e + 8))); break;
      case 0x0115: f.samples = int(value()); break;
      case 0x0112: {
        int o = int(r.u16(e + 8));
        f.orientation = (o >= 1 && o <= 8) ? o : 1;
        break;
      }
      default: break;
    }
  }
  return f;
}

int exif_orientation(const uint8_t* data, size_t size) {
  if (size >= 6 && std::memcmp(data, "Exif\0\0", 6) == 0) {
    data += 6;
    size -= 6;
  }
  try {
    return parse_tiff_ifd0(data, size).orientation;
  } catch (const detail::OutOfData&) {
    return 1;  // a damaged EXIF block never stops an image from loading
  }
}

Image apply_orientation(const Image& image, int orientation) {
  if (orientation <= 1 || orientation > 8) return image;
  cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat dst;
  switch (orientation) {
    case 2: cv::flip(src, dst, 1); break;
    case 3: cv::rotate(src, dst, cv::ROTATE_180); break;
    case 4: cv::flip(src, dst, 0); break;
    case 5: cv::transpose(src, dst); break;
    case 6: cv::rotate(src, dst, cv::ROTATE_90_CLOCKWISE); break;
    case 7: cv::transpose(src, dst); cv::rotate(dst, dst, cv::ROTATE_180); break;
    case 8: cv::rotate(src, dst, cv::ROTATE_90_COUNTERCLOCKWISE); break;
  }
  Image out;
  out.width = dst.cols;
  out.height = dst.rows;
  out.truncated = image.truncated;
  out.pixels.assign(dst.data, dst.data + dst.total() * 3);
  return out;
}

}  // namespace tiny::image
