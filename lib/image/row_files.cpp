#include "image/row_files.hpp"

#include "core/error.hpp"

#include <cstdio>
#include <filesystem>

namespace tiny::image {
namespace {

// An image decoded whole, read back in rows.
class DecodedRows : public RowReader {
public:
  explicit DecodedRows(Image image) : image_(std::move(image)), rows_(image_) {}
  int width() const override { return image_.width; }
  int height() const override { return image_.height; }
  void read(uint8_t* out, int count) override { rows_.read(out, count); }

private:
  Image image_;
  ImageRowReader rows_;
};

}  // namespace

std::unique_ptr<RowReader> open_image_rows(const std::string& path, const DecodeOptions& options) {
  if (path != "-") {
    const ImageInfo info = probe_file(path);
    if (info.format == Format::png && (info.orientation == 1 || !options.apply_orientation)) {
      check_decode_limits(info, std::filesystem::file_size(path), options, path);
      auto png = std::make_unique<PngRowReader>(path);
      if (!png->interlaced()) return png;
    }
  }
  return std::make_unique<DecodedRows>(path == "-" ? decode_image(read_file("-"), "<stdin>", options)
                                                   : read_image(path, options));
}

ImageFileWriter::ImageFileWriter(const std::string& path, bool overwrite, const EncodeOptions& options)
    : path_(path), overwrite_(overwrite), options_(options), format_(output_format(path)) {
  check_can_write(path, overwrite);
}

void ImageFileWriter::start(int width, int height) {
  if (format_ != Format::png) return whole_.start(width, height);
  PngRowEncoder::Sink sink;
  if (path_ == "-") {
    sink = [](const uint8_t* data, size_t size) {
      if (std::fwrite(data, 1, size, stdout) != size) throw Error("<stdout>: write failed");
    };
  } else {
    file_.emplace(path_, overwrite_);
    sink = [this](const uint8_t* data, size_t size) { file_->write({reinterpret_cast<const char*>(data), size}); };
  }
  png_ = std::make_unique<PngRowEncoder>(std::move(sink), options_);
  png_->start(width, height);
}

void ImageFileWriter::write(const uint8_t* rows, int count) {
  if (png_) return png_->write(rows, count);
  whole_.write(rows, count);
}

void ImageFileWriter::commit() {
  if (!png_) return write_image(path_, whole_.take(), overwrite_, options_);
  png_->finish();
  if (file_) return file_->commit();
  if (std::fflush(stdout) != 0) throw Error("<stdout>: write failed");
}

}  // namespace tiny::image
