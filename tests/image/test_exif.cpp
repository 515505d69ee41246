#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/exif.hpp"
#include "image_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::image;

namespace {
Image tiny_image() {
  // 3x2: pixel values encode their position so every turn can be checked exactly.
  Image img = Image::blank(3, 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) img.at(x, y)[0] = uint8_t(10 * y + x);
  return img;
}
int value(const Image& img, int x, int y) { return img.at(x, y)[0]; }
}  // namespace

TEST_CASE("the eight EXIF orientations turn the image upright") {
  Image img = tiny_image();  // 0 1 2 / 10 11 12
  CHECK(value(apply_orientation(img, 1), 0, 0) == 0);
  Image m = apply_orientation(img, 2);  // mirrored: 2 1 0
  CHECK(value(m, 0, 0) == 2);
  Image r180 = apply_orientation(img, 3);
  CHECK(value(r180, 0, 0) == 12);
  Image flip = apply_orientation(img, 4);
  CHECK(value(flip, 0, 0) == 10);
  Image t = apply_orientation(img, 5);  // transpose: 2x3, (x,y) <- (y,x)
  CHECK(t.width == 2);
  CHECK(value(t, 1, 0) == 10);
  CHECK(value(t, 0, 2) == 2);
  Image cw = apply_orientation(img, 6);  // rotate 90° clockwise: top row becomes 10 0
  CHECK(value(cw, 0, 0) == 10);
  CHECK(value(cw, 1, 0) == 0);
  Image tv = apply_orientation(img, 7);  // transverse
  CHECK(value(tv, 0, 0) == 12);
  Image ccw = apply_orientation(img, 8);  // rotate 90° counter-clockwise: top row 2 12
  CHECK(value(ccw, 0, 0) == 2);
  CHECK(value(ccw, 1, 0) == 12);
}

TEST_CASE("a JPEG's EXIF orientation is probed and applied on decode") {
  Bytes jpeg = encode_image(test::make_test_image(64, 32), Format::jpeg, {95});
  Bytes turned = test::with_exif_orientation(jpeg, 6);
  ImageInfo info = probe_image(turned.data(), turned.size(), "t.jpg");
  CHECK(info.orientation == 6);
  CHECK(info.display_width() == 32);
  Image up = decode_image(turned, "t.jpg");
  CHECK(up.width == 32);
  CHECK(up.height == 64);
  DecodeOptions as_stored;
  as_stored.apply_orientation = false;
  Image raw = decode_image(turned, "t.jpg", as_stored);
  CHECK(raw.width == 64);
  CHECK(apply_orientation(raw, 6).pixels == up.pixels);
}

TEST_CASE("a damaged EXIF block is ignored") {
  const uint8_t bad[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0xFF, 0xFF};
  CHECK(exif_orientation(bad, sizeof bad) == 1);
}
