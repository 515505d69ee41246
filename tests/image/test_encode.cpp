#include "core/error.hpp"
#include "core/file_io.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/metrics.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::image;

TEST_CASE("JPEG quality trades size for fidelity, and 4:4:4 keeps more colour than 4:2:0") {
  Image img = test::make_test_image(160, 120);
  Bytes q30 = encode_image(img, Format::jpeg, {30});
  Bytes q90 = encode_image(img, Format::jpeg, {90});
  CHECK(q30.size() < q90.size());
  CHECK(psnr(img, decode_image(q30, "a")) < psnr(img, decode_image(q90, "b")));
  EncodeOptions full;
  full.quality = 90;
  full.chroma = Chroma::s444;
  CHECK(encode_image(img, Format::jpeg, full).size() > q90.size());
}

TEST_CASE("write_image picks the format from the extension and writes atomically") {
  test::TempDir dir;
  Image img = test::make_test_image(20, 10);
  write_image(dir.file("a.png"), img, false);
  CHECK(read_image(dir.file("a.png")).pixels == img.pixels);
  CHECK_THROWS_AS(write_image(dir.file("a.png"), img, false), Error);
  CHECK_THROWS_AS(write_image(dir.file("a.xyz"), img, false), UsageError);
  CHECK_THROWS_AS(encode_image(Image(), Format::png), Error);
}

TEST_CASE("output_format: .png, .ppm, .jpg/.jpeg and .webp in any case, anything else a usage error") {
  CHECK(output_format("a.png") == Format::png);
  CHECK(output_format("dir.x/a.PPM") == Format::pnm);
  CHECK(output_format("a.jpg") == Format::jpeg);
  CHECK(output_format("a.JPEG") == Format::jpeg);
  CHECK(output_format("a.webp") == Format::webp);
  CHECK(output_format("-") == Format::png);
  for (const char* bad : {"a.gif", "a.bmp", "a", "a.tic"}) CHECK_THROWS_AS(output_format(bad), UsageError);
  CHECK_THROWS_WITH_AS(output_format("rec.gif"),
                       "rec.gif: cannot write images as '.gif' (supported: .png, .ppm, .jpg, .jpeg, .webp)", UsageError);
}

TEST_CASE("lossless WebP and PPM keep every pixel whatever the quality") {
  test::TempDir dir;
  Image img = test::make_test_image(37, 23, 5);
  EncodeOptions lossless;
  lossless.quality = 40;
  lossless.webp_lossless = true;
  CHECK(decode_image(encode_image(img, Format::webp, lossless), "webp").pixels == img.pixels);
  CHECK(decode_image(encode_image(img, Format::webp, {40}), "webp").pixels != img.pixels);
  write_image(dir.file("a.ppm"), img, false);
  CHECK(probe_file(dir.file("a.ppm")).format == Format::pnm);
  CHECK(read_image(dir.file("a.ppm")).pixels == img.pixels);
}
