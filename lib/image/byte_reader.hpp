#pragma once
// Bounds-checked big/little-endian reads over a byte span, for header parsers. Every read past the
// end throws OutOfData, so a truncated or hostile header can never cause an out-of-bounds access.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace tiny::image::detail {

struct OutOfData : std::runtime_error {
  OutOfData() : std::runtime_error("header is truncated") {}
};

class ByteReader {
public:
  ByteReader(const uint8_t* data, size_t size, bool little_endian = false)
      : data_(data), size_(size), little_(little_endian) {}

  size_t size() const { return size_; }
  void set_little_endian(bool little) { little_ = little; }
  // Throws OutOfData unless [offset, offset + n) lies inside the span.
  void need(size_t offset, size_t n) const {
    if (offset > size_ || n > size_ - offset) throw OutOfData();
  }
  uint8_t u8(size_t offset) const {
    need(offset, 1);
    return data_[offset];
  }
  uint16_t u16(size_t offset) const {
    need(offset, 2);
    const uint8_t* p = data_ + offset;
    return little_ ? uint16_t(p[0] | p[1] << 8) : uint16_t(p[0] << 8 | p[1]);
  }
  uint32_t u24le(size_t offset) const {
    need(offset, 3);
    const uint8_t* p = data_ + offset;
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16;
  }
  uint32_t u32(size_t offset) const {
    need(offset, 4);
    const uint8_t* p = data_ + offset;
    return little_ ? uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24
                   : uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
  }
  // True if the n bytes at offset equal `text`.
  bool matches(size_t offset, const char* text, size_t n) const {
    if (offset > size_ || n > size_ - offset) return false;
    for (size_t i = 0; i < n; ++i)
      if (data_[offset + i] != static_cast<uint8_t>(text[i])) return false;
    return true;
  }
  const uint8_t* data() const { return data_; }

private:
  const uint8_t* data_;
  size_t size_;
  bool little_;
};

}  // namespace tiny::image::detail
