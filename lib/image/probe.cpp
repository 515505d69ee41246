#include "image/probe.hpp"

#include "core/error.hpp"
#include "image/byte_reader.hpp"
#include "image/exif.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace tiny::image {
using detail::ByteReader;
using detail::OutOfData;

namespace {

ImageInfo probe_jpeg(const ByteReader& r) {
  ImageInfo info;
  info.format = Format::jpeg;
  size_t pos = 2;
  for (;;) {
    if (r.u8(pos) != 0xFF) throw Error("corrupt JPEG: expected a marker at byte " + std::to_string(pos));
    while (r.u8(pos) == 0xFF) ++pos;  // fill bytes
    uint8_t m = r.u8(pos++);
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;
    if (m == 0xD9 || m == 0xDA) throw Error("corrupt JPEG: no frame header before the image data");
    size_t len = r.u16(pos);
    if (len < 2) throw Error("corrupt JPEG: segment length " + std::to_string(len));
    size_t body = pos + 2;
    bool sof = (m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (m == 0xE1 && r.matches(body, "Exif\0\0", 6)) {
      r.need(body, len - 2);
      info.orientation = exif_orientation(r.data() + body, len - 2);
    } else if (sof) {
      info.bit_depth = r.u8(body);
      info.height = r.u16(body + 1);
      info.width = r.u16(body + 3);
      info.channels = r.u8(body + 5);
      info.arithmetic = m >= 0xC9;
      return info;
    }
    pos += len;
  }
}

ImageInfo probe_png(const ByteReader& r) {
  ImageInfo info;
  info.format = Format::png;
  if (!r.matches(12, "IHDR", 4)) throw Error("corrupt PNG: first chunk is not IHDR");
  info.width = int(std::min<uint32_t>(r.u32(16), 0x7FFFFFFF));
  info.height = int(std::min<uint32_t>(r.u32(20), 0x7FFFFFFF));
  info.bit_depth = r.u8(24);
  static const int channels_by_type[7] = {1, 0, 3, 3, 2, 0, 4};
  unsigned type = r.u8(25);
  info.channels = type < 7 ? channels_by_type[type] : 0;
  if (info.channels == 0) throw Error("corrupt PNG: colour type " + std::to_string(type));
  // Look for an eXIf chunk before the image data (it must precede IDAT); stop quietly if cut short.
  try {
    size_t pos = 8;
    for (int i = 0; i < 64; ++i) {
      uint32_t len = r.u32(pos);
      if (r.matches(pos + 4, "IDAT", 4)) break;
      if (r.matches(pos + 4, "eXIf", 4)) {
        r.need(pos + 8, len);
        info.orientation = exif_orientation(r.data() + pos + 8, len);
        break;
      }
      pos += size_t(len) + 12;
    }
  } catch (const OutOfData&) {
  }
  return info;
}

ImageInfo probe_webp(const ByteReader& r) {
  ImageInfo info;
  info.format = Format::webp;
  info.bit_depth = 8;
  size_t pos = 12;
  if (r.matches(pos, "VP8 ", 4)) {
    if (r.u8(pos + 11) != 0x9d || r.u8(pos + 12) != 0x01 || r.u8(pos + 13) != 0x2a)
      throw Error("corrupt WebP: bad VP8 start code");
    ByteReader le(r.data(), r.size(), true);
    info.width = le.u16(pos + 14) & 0x3FFF;
    info.height = le.u16(pos + 16) & 0x3FFF;
    info.channels = 3;
  } else if (r.matches(pos, "VP8L", 4)) {
    if (r.u8(pos + 8) != 0x2f) throw Error("corrupt WebP: bad VP8L signature");
    ByteReader le(r.data(), r.size(), true);
    uint32_t bits = le.u32(pos + 9);
    info.width = int(bits & 0x3FFF) + 1;
    info.height = int((bits >> 14) & 0x3FFF) + 1;
    info.channels = (bits >> 28) & 1 ? 4 : 3;
  } else if (r.matches(pos, "VP8X", 4)) {
    uint8_t flags = r.u8(pos + 8);
    info.width = int(r.u24le(pos + 12)) + 1;
    info.height = int(r.u24le(pos + 15)) + 1;
    info.channels = flags & 0x10 ? 4 : 3;
    if (flags & 0x08) {  // an EXIF chunk follows somewhere: walk the chunks to it
      try {
        ByteReader le(r.data(), r.size(), true);
        for (size_t p = pos; p + 8 <= r.size();) {
          uint32_t len = le.u32(p + 4);
          if (r.matches(p, "EXIF", 4)) {
            r.need(p + 8, len);
            info.orientation = exif_orientation(r.data() + p + 8, len);
            break;
          }
          p += 8 + size_t(len) + (len & 1);
        }
      } catch (const OutOfData&) {
      }
    }
  } else {
    throw Error("corrupt WebP: unknown first chunk");
  }
  return info;
}

// The size of a BMP side stored as a signed 32-bit number (negative: rows top-down), capped at INT_MAX.
int bmp_extent(uint32_t stored) {
  int64_t v = int32_t(stored);
  return int(std::min<int64_t>(v < 0 ? -v : v, INT32_MAX));
}

ImageInfo probe_bmp(const ByteReader& le) {
  ImageInfo info;
  info.format = Format::bmp;
  uint32_t header = le.u32(14);
  int bpp;
  if (header == 12) {
    info.width = le.u16(18);
    info.height = le.u16(20);
    bpp = le.u16(24);
  } else {
    info.width = bmp_extent(le.u32(18));
    info.height = bmp_extent(le.u32(22));
    bpp = le.u16(28);
  }
  info.channels = bpp == 32 ? 4 : 3;
  info.bit_depth = 8;
  return info;
}

ImageInfo probe_tiff(const ByteReader& r) {
  TiffFields f = parse_tiff_ifd0(r.data(), r.size());
  ImageInfo info;
  info.format = Format::tiff;
  info.width = f.width;
  info.height = f.height;
  info.channels = f.samples ? f.samples : 1;
  info.bit_depth = f.bits ? f.bits : 1;
  info.orientation = f.orientation;
  return info;
}

ImageInfo probe_pnm(const ByteReader& r) {
  ImageInfo info;
  info.format = Format::pnm;
  char kind = char(r.u8(1));
  size_t pos = 2;
  auto next_number = [&]() -> long {
    for (;;) {
      uint8_t c = r.u8(pos);
      if (c == '#') {
        while (r.u8(pos) != '\n') ++pos;
      } else if (std::isspace(c)) {
        ++pos;
      } else {
        break;
      }
    }
    if (!std::isdigit(r.u8(pos))) throw Error("corrupt PNM header");
    long v = 0;
    while (std::isdigit(r.u8(pos))) {
      v = v * 10 + (r.u8(pos++) - '0');
      if (v > 0x7FFFFFFF) throw Error("corrupt PNM header: number too large");
    }
    return v;
  };
  info.width = int(next_number());
  info.height = int(next_number());
  long maxval = (kind == '1' || kind == '4') ? 1 : next_number();
  info.channels = (kind == '3' || kind == '6') ? 3 : 1;
  info.bit_depth = maxval > 255 ? 16 : (maxval == 1 ? 1 : 8);
  return info;
}

Format sniff(const ByteReader& r) {
  if (r.matches(0, "\xFF\xD8\xFF", 3)) return Format::jpeg;
  if (r.matches(0, "\x89PNG\r\n\x1a\n", 8)) return Format::png;
  if (r.matches(0, "RIFF", 4) && r.matches(8, "WEBP", 4)) return Format::webp;
  if (r.matches(0, "BM", 2)) return Format::bmp;
  if (r.matches(0, "II*\0", 4) || r.matches(0, "MM\0*", 4)) return Format::tiff;
  if (r.size() >= 2 && r.data()[0] == 'P' && r.data()[1] >= '1' && r.data()[1] <= '6') return Format::pnm;
  return Format::unknown;
}

// Probes; OutOfData escapes so that probe_file can retry with more of the file.
ImageInfo probe_prefix(const uint8_t* data, size_t size, const std::string& origin) {
  ByteReader r(data, size);
  ImageInfo info;
  switch (sniff(r)) {
    case Format::jpeg: info = probe_jpeg(r); break;
    case Format::png: info = probe_png(r); break;
    case Format::webp: info = probe_webp(r); break;
    case Format::bmp: info = probe_bmp(ByteReader(data, size, true)); break;
    case Format::tiff: info = probe_tiff(r); break;
    case Format::pnm: info = probe_pnm(r); break;
    case Format::unknown:
      throw Error(file_error(origin, size == 0 ? "empty file" : "not a supported image (unknown format)"));
  }
  if (info.width <= 0 || info.height <= 0)
    throw Error(file_error(origin, "corrupt header: image size " + std::to_string(info.width) + "x" +
                                       std::to_string(info.height)));
  return info;
}

// Probes a prefix of an image; OutOfData (more bytes needed) passes through, every other error names `origin`.
ImageInfo probe_named(const uint8_t* data, size_t size, const std::string& origin) {
  try {
    return probe_prefix(data, size, origin);
  } catch (const Error& e) {
    std::string what = e.what();
    if (what.rfind(origin + ": ", 0) == 0) throw;
    throw Error(file_error(origin, what));
  }
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::jpeg: return "jpeg";
    case Format::png: return "png";
    case Format::webp: return "webp";
    case Format::bmp: return "bmp";
    case Format::tiff: return "tiff";
    case Format::pnm: return "pnm";
    case Format::unknown: break;
  }
  return "unknown";
}

Format format_from_name(const std::string& name) {
  std::string s = name;
  auto dot = s.rfind('.');
  if (dot != std::string::npos) s = s.substr(dot + 1);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "jpg" || s == "jpeg" || s == "jpe") return Format::jpeg;
  if (s == "png") return Format::png;
  if (s == "webp") return Format::webp;
  if (s == "bmp") return Format::bmp;
  if (s == "tif" || s == "tiff") return Format::tiff;
  if (s == "ppm" || s == "pgm" || s == "pbm" || s == "pnm") return Format::pnm;
  return Format::unknown;
}

ImageInfo probe_image(const uint8_t* data, size_t size, const std::string& origin) {
  try {
    return probe_named(data, size, origin);
  } catch (const OutOfData&) {
    throw Error(file_error(origin, "truncated image header"));
  }
}

ImageInfo probe_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(file_error(path, "cannot open: " + errno_text()));
  std::vector<uint8_t> buf;
  size_t chunk = 64 * 1024;
  bool eof = false;
  for (;;) {
    size_t old = buf.size();
    buf.resize(old + chunk);
    ssize_t n = 0;
    size_t got = 0;
    while (got < chunk && (n = ::read(fd, buf.data() + old + got, chunk - got)) > 0) got += size_t(n);
    buf.resize(old + got);
    if (n < 0) {
      ::close(fd);
      throw Error(file_error(path, "read failed: " + errno_text()));
    }
    eof = got < chunk;
    try {
      ImageInfo info = probe_named(buf.data(), buf.size(), path);
      ::close(fd);
      return info;
    } catch (const OutOfData&) {
      if (eof) {
        ::close(fd);
        throw Error(file_error(path, "truncated image header"));
      }
      chunk = std::min<size_t>(buf.size(), 16 << 20);  // read more: grow geometrically
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
}

}  // namespace tiny::image
