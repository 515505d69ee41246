#pragma once
// Images passed top to bottom in bands of rows, so that a consumer (the tiled codec) never needs the
// whole image in memory: readers from an Image or a file, writers into an Image or a file.
#include "image/image.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tiny::image {

// A source of 8-bit RGB rows, read once from top to bottom.
class RowReader {
public:
  virtual ~RowReader() = default;
  virtual int width() const = 0;
  virtual int height() const = 0;
  // Reads the next `count` rows (width * 3 bytes each, packed) into `out`; throws tiny::Error naming
  // the source if it cannot.
  virtual void read(uint8_t* out, int count) = 0;
};

// A sink of 8-bit RGB rows, written once from top to bottom.
class RowWriter {
public:
  virtual ~RowWriter() = default;
  // Called once before any rows, with the image's size.
  virtual void start(int width, int height) = 0;
  // Takes the next `count` rows (width * 3 bytes each, packed).
  virtual void write(const uint8_t* rows, int count) = 0;
};

// Reads the rows of an image held in memory (which must outlive the reader).
class ImageRowReader : public RowReader {
public:
  explicit ImageRowReader(const Image& image) : image_(image) {}
  int width() const override { return image_.width; }
  int height() const override { return image_.height; }
  void read(uint8_t* out, int count) override;

private:
  const Image& image_;
  int next_ = 0;
};

// Collects the rows into an Image.
class ImageRowWriter : public RowWriter {
public:
  void start(int width, int height) override;
  void write(const uint8_t* rows, int count) override;
  // The image written so far (moved out).
  Image take() { return std::move(image_); }

private:
  Image image_;
  int next_ = 0;
};

// Passes rows on to another writer with every pixel turned grey (make_gray's rounded mean).
class GrayRowWriter : public RowWriter {
public:
  explicit GrayRowWriter(RowWriter& out) : out_(out) {}
  void start(int width, int height) override;
  void write(const uint8_t* rows, int count) override;

private:
  RowWriter& out_;
  int width_ = 0;
  std::vector<uint8_t> gray_;
};

}  // namespace tiny::image
