#pragma once
// Image files as row readers and writers: PNG streamed a row at a time (the image is never whole in
// memory), every other format decoded or encoded whole.
#include "core/file_io.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/png_rows.hpp"
#include "image/rows.hpp"

#include <memory>
#include <optional>
#include <string>

namespace tiny::image {

// The rows of an image file ("-": stdin), upright: a non-interlaced PNG without EXIF rotation is read
// a row at a time, anything else decoded whole with read_image (errors name the file).
std::unique_ptr<RowReader> open_image_rows(const std::string& path, const DecodeOptions& options = {});

// Writes rows to an image file in the format its extension names (output_format), through a temporary
// file that commit() renames into place ("-": PNG to stdout); PNG rows are encoded as they come,
// other formats encoded whole at commit().
class ImageFileWriter : public RowWriter {
public:
  ImageFileWriter(const std::string& path, bool overwrite, const EncodeOptions& options = {});
  void start(int width, int height) override;
  void write(const uint8_t* rows, int count) override;
  // Finishes the file and publishes it; without commit() nothing appears at the path.
  void commit();

private:
  std::string path_;
  bool overwrite_;
  EncodeOptions options_;
  Format format_;
  std::optional<AtomicFile> file_;
  std::unique_ptr<PngRowEncoder> png_;
  ImageRowWriter whole_;  // formats encoded at commit()
};

}  // namespace tiny::image
