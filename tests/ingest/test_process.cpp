#include "core/error.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "ingest/process.hpp"
#include "../image/image_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::ingest;

namespace {

Bytes jpeg(int w, int h, unsigned seed = 1) {
  return image::encode_image(test::make_test_image(w, h, seed), image::Format::jpeg);
}

Processed run(const Bytes& data, ResizeMode mode, int size, OutputFormat f = OutputFormat::jpg) {
  ProcessOptions o;
  o.resize = mode;
  o.size = size;
  o.format = f;
  return process_image(data, "test", o);
}

}  // namespace

TEST_CASE("process: resize modes give the documented sizes") {
  Bytes src = jpeg(200, 100);
  auto k = run(src, ResizeMode::keep_ratio, 50);
  CHECK(k.reason == "");
  CHECK(k.width == 100);
  CHECK(k.height == 50);
  CHECK(k.original_width == 200);
  auto c = run(src, ResizeMode::center_crop, 40);
  CHECK(c.width == 40);
  CHECK(c.height == 40);
  auto b = run(src, ResizeMode::border, 60, OutputFormat::png);
  CHECK(b.width == 60);
  CHECK(b.height == 60);
  CHECK(b.extension == "png");
  image::Image bi = image::decode_image(b.bytes, "b");
  CHECK(bi.at(30, 0)[0] == 0);   // black border above the 60x30 image
  CHECK(bi.at(30, 59)[1] == 0);
  auto n = run(src, ResizeMode::no, 0, OutputFormat::webp);
  CHECK(n.width == 200);
  CHECK(n.extension == "webp");
  CHECK(image::probe_image(n.bytes.data(), n.bytes.size(), "n").format == image::Format::webp);
}

TEST_CASE("process: EXIF orientation is applied before resizing") {
  Bytes src = test::with_exif_orientation(jpeg(200, 100), 6);
  auto p = run(src, ResizeMode::keep_ratio, 50);
  CHECK(p.original_width == 100);
  CHECK(p.original_height == 200);
  CHECK(p.width == 50);
  CHECK(p.height == 100);
}

TEST_CASE("process: keep stores the original bytes after verifying them") {
  Bytes src = jpeg(64, 48);
  ProcessOptions o;
  o.resize = ResizeMode::no;
  o.format = OutputFormat::keep;
  auto p = process_image(src, "k", o);
  CHECK(p.reason == "");
  CHECK(p.bytes == src);
  CHECK(p.extension == "jpg");
  o.resize = ResizeMode::keep_ratio;
  CHECK_THROWS_AS(validate(o), UsageError);
}

TEST_CASE("process: filters and bad data are per-sample failures, never exceptions") {
  ProcessOptions o;
  o.min_size = 80;
  CHECK(process_image(jpeg(200, 60), "s", o).reason == "too_small");
  o.min_size = 0;
  o.max_aspect = 2.0;
  CHECK(process_image(jpeg(300, 100), "a", o).reason == "aspect");
  CHECK(process_image(jpeg(150, 100), "a", o).reason == "");
  std::string html = "<html>not an image</html>";
  auto bad = process_image(Bytes(html.begin(), html.end()), "html", o);
  CHECK(bad.reason == "decode");
  CHECK(bad.bytes.empty());
  Bytes cut = jpeg(64, 64);
  cut.resize(cut.size() / 2);
  CHECK(process_image(cut, "cut", o).reason == "decode");
  CHECK(process_image(test::png_header(100000, 100000), "bomb", o).reason == "decode");
  CHECK_THROWS_AS(resize_mode_from_name("stretch"), UsageError);
  CHECK_THROWS_AS(output_format_from_name("gif"), UsageError);
}
