#include "entropy/container.hpp"

#include "core/error.hpp"
#include "entropy/crc32.hpp"
#include "entropy/rans.hpp"

#include <fmt/format.h>

#include <cstring>
#include <fstream>

namespace tiny::entropy {
namespace {

constexpr uint8_t kMagic[4] = {0x89, 'T', 'I', 'C'};
constexpr size_t kMaxSubstreams = 1u << 20;

class Writer {
public:
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  template <class T>
  void le(T v) {
    for (size_t i = 0; i < sizeof(T); ++i) out.push_back(uint8_t(uint64_t(v) >> (8 * i)));
  }
  Bytes out;
};

// Bounds-checked little-endian reader: every read names the field that ran past the end.
class Reader {
public:
  Reader(const Bytes& d, size_t end, const std::string& name) : d_(d), end_(end), name_(name) {}
  size_t left() const { return end_ - pos_; }
  void need(size_t n, const char* what) const {
    if (n > left()) throw Error(file_error(name_, fmt::format("truncated .tic file (in {})", what)));
  }
  template <class T>
  T le(const char* what) {
    need(sizeof(T), what);
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t(d_[pos_ + i]) << (8 * i);
    pos_ += sizeof(T);
    return T(v);
  }
  const uint8_t* take(size_t n, const char* what) {
    need(n, what);
    const uint8_t* p = d_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[noreturn]] void fail(const std::string& message) const { throw Error(file_error(name_, message)); }

private:
  const Bytes& d_;
  size_t end_, pos_ = 0;
  const std::string& name_;
};

constexpr uint16_t kWavefrontFlag = 1;

bool valid_arch(const std::string& a) {
  if (a.empty() || a.size() > kTicMaxArchName) return false;
  for (char c : a)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

bool valid_tile_size(uint32_t t) { return t > 0 && t % kTicTileMultiple == 0 && t <= kTicMaxTileSize; }

}  // namespace

const char* color_format_name(ColorFormat c) { return c == ColorFormat::gray8 ? "gray8" : "rgb8"; }

bool is_tic(const Bytes& data) { return data.size() >= 4 && std::memcmp(data.data(), kMagic, 4) == 0; }

Bytes write_tic(const TicFile& tic) {
  if (!valid_arch(tic.arch)) throw Error(fmt::format(".tic: bad architecture name '{}' (1-64 printable ASCII)", tic.arch));
  if (tic.latent_shapes.size() > kTicMaxLatents)
    throw Error(fmt::format(".tic: {} latent shapes, at most {}", tic.latent_shapes.size(), kTicMaxLatents));
  if (tic.substreams.size() > kMaxSubstreams)
    throw Error(fmt::format(".tic: {} substreams, at most {}", tic.substreams.size(), kMaxSubstreams));
  Writer w;
  w.bytes(kMagic, 4);
  if (tic.version < kTicOldestVersion || tic.version > kTicVersion)
    throw Error(fmt::format(".tic: cannot write version {}", tic.version));
  w.le<uint16_t>(tic.version);
  w.le<uint16_t>(tic.wavefront ? kWavefrontFlag : 0);
  w.le<uint8_t>(uint8_t(tic.arch.size()));
  w.bytes(tic.arch.data(), tic.arch.size());
  w.le<uint32_t>(tic.quality);
  w.le<uint64_t>(tic.model_hash);
  w.le<uint32_t>(tic.width);
  w.le<uint32_t>(tic.height);
  w.le<uint8_t>(uint8_t(tic.color));
  if (tic.version >= 2) w.le<uint32_t>(tic.latent_checksum);
  if (tic.version >= 3) {
    if (!valid_tile_size(tic.tile_size)) throw Error(fmt::format(".tic: bad tile size {}", tic.tile_size));
    w.le<uint32_t>(tic.tile_size);
  }
  w.le<uint8_t>(uint8_t(tic.latent_shapes.size()));
  for (const auto& shape : tic.latent_shapes) {
    if (shape.empty() || shape.size() > kTicMaxDims)
      throw Error(fmt::format(".tic: a latent shape has {} dimensions, needs 1-{}", shape.size(), kTicMaxDims));
    w.le<uint8_t>(uint8_t(shape.size()));
    for (uint32_t d : shape) w.le<uint32_t>(d);
  }
  w.le<uint32_t>(uint32_t(tic.substreams.size()));
  for (const auto& s : tic.substreams) {
    if (s.size() > UINT32_MAX) throw Error(".tic: a substream exceeds 4 GiB");
    w.le<uint32_t>(uint32_t(s.size()));
  }
  for (const auto& s : tic.substreams) w.bytes(s.data(), s.size());
  w.le<uint32_t>(crc32(w.out.data(), w.out.size()));
  return std::move(w.out);
}

TicFile read_tic(const Bytes& data, const std::string& name) {
  if (data.empty()) throw Error(file_error(name, "empty file, not a .tic bitstream"));
  if (!is_tic(data)) throw Error(file_error(name, "not a .tic bitstream (bad magic)"));
  if (data.size() < 4 + 4 + 4) throw Error(file_error(name, "truncated .tic file"));
  // The CRC covers everything before it; checking it first rejects any corruption up front.
  size_t body = data.size() - 4;
  uint32_t stored = uint32_t(data[body]) | uint32_t(data[body + 1]) << 8 | uint32_t(data[body + 2]) << 16 |
                    uint32_t(data[body + 3]) << 24;
  Reader r(data, body, name);
  r.take(4, "magic");
  uint16_t version = r.le<uint16_t>("version");
  if (version < kTicOldestVersion || version > kTicVersion)
    r.fail(fmt::format("unsupported .tic version {} (this build reads versions {} to {})", version, kTicOldestVersion,
                       kTicVersion));
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // fuzz builds skip the CRC to reach the parser
  if (crc32(data.data(), body) != stored) r.fail("corrupt .tic file (CRC mismatch)");
#else
  (void)stored;
#endif
  const uint16_t flags = r.le<uint16_t>("flags");
  if (flags & ~kWavefrontFlag) r.fail(fmt::format("unknown .tic flags {:#x}", flags));
  TicFile t;
  t.version = version;
  t.wavefront = flags & kWavefrontFlag;
  size_t arch_len = r.le<uint8_t>("architecture length");
  const uint8_t* arch = r.take(arch_len, "architecture name");
  t.arch.assign(reinterpret_cast<const char*>(arch), arch_len);
  if (!valid_arch(t.arch)) r.fail("bad architecture name in .tic header");
  t.quality = r.le<uint32_t>("quality");
  t.model_hash = r.le<uint64_t>("model hash");
  t.width = r.le<uint32_t>("width");
  t.height = r.le<uint32_t>("height");
  uint8_t color = r.le<uint8_t>("colour format");
  if (color > uint8_t(ColorFormat::gray8)) r.fail(fmt::format("unknown colour format {} in .tic header", color));
  t.color = ColorFormat(color);
  if (version >= 2) t.latent_checksum = r.le<uint32_t>("latent checksum");
  if (version >= 3) {
    t.tile_size = r.le<uint32_t>("tile size");
    if (!valid_tile_size(t.tile_size))
      r.fail(fmt::format("tile size {} in .tic header (needs a multiple of {} up to {})", t.tile_size,
                         kTicTileMultiple, kTicMaxTileSize));
  }
  size_t latents = r.le<uint8_t>("latent count");
  if (latents > kTicMaxLatents) r.fail(fmt::format("{} latent shapes in .tic header, at most {}", latents, kTicMaxLatents));
  t.latent_shapes.resize(latents);
  for (auto& shape : t.latent_shapes) {
    size_t dims = r.le<uint8_t>("latent dimensions");
    if (dims == 0 || dims > kTicMaxDims) r.fail(fmt::format("latent shape with {} dimensions in .tic header", dims));
    shape.resize(dims);
    for (auto& d : shape) d = r.le<uint32_t>("latent shape");
  }
  size_t count = r.le<uint32_t>("substream count");
  if (count > kMaxSubstreams || count * 4 > r.left())
    r.fail(fmt::format("substream count {} does not fit the file", count));
  std::vector<uint32_t> lengths(count);
  uint64_t total = 0;
  for (auto& len : lengths) {
    len = r.le<uint32_t>("substream length");
    total += len;
  }
  if (total != r.left())
    r.fail(fmt::format("substream lengths sum to {} bytes but the payload has {}", total, r.left()));
  t.substreams.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* p = r.take(lengths[i], "substream");
    t.substreams[i].assign(p, p + lengths[i]);
  }
  return t;
}

void write_tic_file(const std::string& path, const TicFile& tic, bool overwrite) {
  write_file_atomic(path, write_tic(tic), overwrite);
}

bool is_tic_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  uint8_t head[4] = {};
  if (!f.read(reinterpret_cast<char*>(head), 4)) return false;
  return std::memcmp(head, kMagic, 4) == 0;
}

uint32_t latent_checksum(const int32_t* symbols, size_t count, uint32_t crc) {
  uint8_t buffer[4096];
  while (count > 0) {
    const size_t n = std::min<size_t>(count, sizeof buffer / 4);
    for (size_t i = 0; i < n; ++i)
      for (size_t b = 0; b < 4; ++b) buffer[4 * i + b] = uint8_t(uint32_t(symbols[i]) >> (8 * b));
    crc = crc32(buffer, 4 * n, crc);
    symbols += n, count -= n;
  }
  return crc;
}

TicFile read_tic_file(const std::string& path) { return read_tic(read_file(path), path); }

nlohmann::json describe_tic(const TicFile& tic) {
  nlohmann::json sizes = nlohmann::json::array(), states = nlohmann::json::array();
  size_t payload = 0;
  for (const auto& s : tic.substreams) {
    sizes.push_back(s.size());
    states.push_back(rans_stream_lanes(s.data(), s.size()));
    payload += s.size();
  }
  nlohmann::json j = {{"type", "bitstream"},
          {"format", "tic"},
          {"channels", tic.color == ColorFormat::gray8 ? 1 : 3},
          {"bit_depth", 8},
          {"orientation", 1},
          {"version", tic.version},
          {"arch", tic.arch},
          {"quality", tic.quality},
          {"model_hash", fmt::format("{:016x}", tic.model_hash)},
          {"width", tic.width},
          {"height", tic.height},
          {"color", color_format_name(tic.color)},
          {"latent_shapes", tic.latent_shapes},
          {"symbol_order", tic.wavefront ? "wavefront" : "raster"},
          {"substreams", sizes},
          {"substream_states", states},
          {"payload_bytes", payload},
          {"entropy_parameters", tic.version >= 2 ? "fixed-order" : "torch (decodes reliably only on the machine kind that wrote it)"}};
  if (tic.version >= 2) j["latent_checksum"] = fmt::format("{:08x}", tic.latent_checksum);
  if (tic.version >= 3) j["tile_size"] = tic.tile_size;
  return j;
}

}  // namespace tiny::entropy
