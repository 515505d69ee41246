#pragma once
// PNG read and written a row at a time with libpng, 8-bit RGB: the whole image is never in memory.
#include "image/encode.hpp"
#include "image/rows.hpp"

#include <cstdio>
#include <functional>
#include <string>

namespace tiny::image {

// Encodes rows to PNG bytes handed to `sink` as they are compressed.
class PngRowEncoder {
public:
  using Sink = std::function<void(const uint8_t* data, size_t size)>;
  PngRowEncoder(Sink sink, const EncodeOptions& options);
  ~PngRowEncoder();
  PngRowEncoder(const PngRowEncoder&) = delete;
  PngRowEncoder& operator=(const PngRowEncoder&) = delete;
  // Writes the header of a width x height image.
  void start(int width, int height);
  // Encodes the next `count` rows.
  void write(const uint8_t* rows, int count);
  // Writes the end of the file (after every row).
  void finish();

private:
  Sink sink_;
  EncodeOptions options_;
  void* png_ = nullptr;
  void* info_ = nullptr;
  std::string why_;
  int width_ = 0, height_ = 0, written_ = 0;
};

// Reads a non-interlaced PNG file's rows as 8-bit RGB, converted as decode_image converts them (grey
// replicated, 16 bits scaled with rounding, palette expanded, alpha dropped).
class PngRowReader : public RowReader {
public:
  // Opens the file and reads its header; throws tiny::Error naming it if it is not a readable PNG.
  explicit PngRowReader(const std::string& path);
  ~PngRowReader() override;
  int width() const override { return width_; }
  int height() const override { return height_; }
  // Whether the file stores its rows interlaced (Adam7): such files cannot be read a row at a time.
  bool interlaced() const { return interlaced_; }
  void read(uint8_t* out, int count) override;

private:
  std::string path_, why_;
  std::FILE* file_ = nullptr;
  void* png_ = nullptr;
  void* info_ = nullptr;
  int width_ = 0, height_ = 0, next_ = 0;
  bool interlaced_ = false;
};

}  // namespace tiny::image
