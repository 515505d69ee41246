#include "core/error.hpp"
#include "core/file_io.hpp"
#include "image/encode.hpp"
#include "image/probe.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::image;

TEST_CASE("probe reads size and format from the header of every encodable format") {
  Image img = test::make_test_image(97, 53);
  for (Format f : {Format::jpeg, Format::png, Format::webp, Format::bmp, Format::tiff, Format::pnm}) {
    CAPTURE(format_name(f));
    Bytes b = encode_image(img, f);
    ImageInfo info = probe_image(b.data(), b.size(), "x");
    CHECK(info.format == f);
    CHECK(info.width == 97);
    CHECK(info.height == 53);
    CHECK(info.channels >= 3);
    CHECK(info.bit_depth == 8);
    CHECK(info.orientation == 1);
  }
}

TEST_CASE("probe needs only the header: a JPEG cut after its frame header still probes") {
  Bytes b = encode_image(test::make_test_image(64, 48), Format::jpeg);
  ImageInfo info = probe_image(b.data(), 700, "cut.jpg");
  CHECK(info.width == 64);
}

TEST_CASE("probe rejects empty, unknown and truncated headers with the file name") {
  Bytes b = encode_image(test::make_test_image(32, 32), Format::png);
  CHECK_THROWS_WITH_AS(probe_image(b.data(), 0, "e.png"), doctest::Contains("e.png: empty file"), Error);
  const uint8_t junk[] = {'h', 'e', 'l', 'l', 'o'};
  CHECK_THROWS_WITH_AS(probe_image(junk, 5, "j.png"), doctest::Contains("j.png: not a supported image"), Error);
  CHECK_THROWS_WITH_AS(probe_image(b.data(), 20, "t.png"), doctest::Contains("t.png: truncated image header"), Error);
}

TEST_CASE("every prefix of every format probes or fails cleanly") {
  Image img = test::make_test_image(40, 30);
  for (Format f : {Format::jpeg, Format::png, Format::webp, Format::bmp, Format::tiff, Format::pnm}) {
    Bytes b = encode_image(img, f);
    for (size_t n = 0; n < std::min<size_t>(b.size(), 400); ++n) {
      try {
        ImageInfo info = probe_image(b.data(), n, "p");
        CHECK(info.width == 40);
      } catch (const Error&) {
      }
    }
  }
}

TEST_CASE("probe_file reads a file and reports a missing one by name") {
  test::TempDir dir;
  write_image(dir.file("a.webp"), test::make_test_image(33, 21), false);
  ImageInfo info = probe_file(dir.file("a.webp"));
  CHECK(info.format == Format::webp);
  CHECK(info.width == 33);
  CHECK_THROWS_WITH_AS(probe_file(dir.file("missing.png")), doctest::Contains("missing.png: cannot open"), Error);
  // A file that is only a PNG signature: the error names it, as every probe error does.
  const uint8_t signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  write_file_atomic(dir.file("sig.png"), Bytes(signature, signature + 8), false);
  CHECK_THROWS_WITH_AS(probe_file(dir.file("sig.png")), doctest::Contains((dir.file("sig.png") + ": corrupt PNG").c_str()), Error);
}

TEST_CASE("format names and extensions") {
  CHECK(format_from_name("photo.JPG") == Format::jpeg);
  CHECK(format_from_name("webp") == Format::webp);
  CHECK(format_from_name("x.tif") == Format::tiff);
  CHECK(format_from_name("x.gif") == Format::unknown);
  CHECK(std::string(format_name(Format::png)) == "png");
}
