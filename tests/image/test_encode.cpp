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
