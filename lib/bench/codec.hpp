#pragma once
// A codec under test: a name, its quality points and encode/decode of 8-bit RGB images. The
// classical codecs implement it through their libraries; learned models can implement it too.
#include "core/file_io.hpp"
#include "image/image.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tiny::bench {

class Codec {
public:
  virtual ~Codec() = default;
  // Short name used in reports and for --codecs / --anchor, e.g. "jpeg420".
  virtual std::string name() const = 0;
  // The quality settings swept, lowest rate first; `quick` gives fewer points.
  virtual std::vector<double> qualities(bool quick) const = 0;
  // What a setting means, as reports label it: "q", "ratio", "qp", "distance" or "quality".
  virtual std::string setting_unit() const = 0;
  // Encodes the image at one of its quality settings; the result is the whole file as stored.
  virtual Bytes encode(const image::Image& image, double quality) const = 0;
  // Decodes what encode() produced back to 8-bit RGB.
  virtual image::Image decode(const Bytes& data) const = 0;
  // The bytes of an encoded file that code the image itself: all of it for formats whose headers
  // are part of the codec; the substreams without tiny's `.tic` container header for learned ones.
  virtual size_t payload_bytes(const Bytes& data) const { return data.size(); }
};

// The classical codecs: jpeg420, jpeg444, webp, jpeg2000, avif, jxl.
std::vector<std::unique_ptr<Codec>> classical_codecs();
// Keeps the codecs whose names are listed (all if empty); throws UsageError on an unknown name.
std::vector<std::unique_ptr<Codec>> select_codecs(std::vector<std::unique_ptr<Codec>> all,
                                                  const std::vector<std::string>& names);

// Factories of the individual classical codecs.
std::unique_ptr<Codec> make_jpeg_codec(bool chroma444);
std::unique_ptr<Codec> make_webp_codec();
std::unique_ptr<Codec> make_jpeg2000_codec();
std::unique_ptr<Codec> make_avif_codec();
std::unique_ptr<Codec> make_jxl_codec();
// A learned codec of tiny named `name`: one `.tmodel` per quality point (qualities must differ), or one
// variable-rate `.tmodel` swept over 8 qualities evenly spaced over its range.
std::unique_ptr<Codec> make_learned_codec(const std::string& name, const std::vector<std::string>& model_paths);

// Picks `count` evenly spaced entries of `points` (all of them if count >= size).
std::vector<double> subsample_points(const std::vector<double>& points, size_t count);

}  // namespace tiny::bench
