#include "core/error.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/metrics.hpp"
#include "image_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <opencv2/imgcodecs.hpp>

using namespace tiny;
using namespace tiny::image;

TEST_CASE("lossless formats round-trip exactly") {
  Image img = test::make_test_image(45, 31);
  for (Format f : {Format::png, Format::bmp, Format::tiff, Format::pnm}) {
    CAPTURE(format_name(f));
    Image back = decode_image(encode_image(img, f), "x");
    CHECK(back.width == 45);
    CHECK(back.pixels == img.pixels);
  }
  EncodeOptions lossless;
  lossless.quality = 101;
  CHECK(decode_image(encode_image(img, Format::webp, lossless), "x.webp").pixels == img.pixels);
}

TEST_CASE("JPEG decodes close to the original") {
  Image img = test::make_test_image(128, 96);
  Image back = decode_image(encode_image(img, Format::jpeg, {95}), "x.jpg");
  CHECK(back.width == 128);
  CHECK(psnr(img, back) > 30);
}

TEST_CASE("JPEG decodes at the smallest IDCT scale that still covers the requested size") {
  Bytes jpeg = encode_image(test::make_test_image(768, 512), Format::jpeg);
  auto decoded_width = [&](int min_w, int min_h) {
    DecodeOptions o;
    o.min_width = min_w;
    o.min_height = min_h;
    return decode_image(jpeg, "x.jpg", o).width;
  };
  CHECK(decoded_width(0, 0) == 768);
  CHECK(decoded_width(96, 64) == 96);   // 1/8
  CHECK(decoded_width(100, 64) == 192); // 1/4
  CHECK(decoded_width(200, 200) == 384);// 1/2
  CHECK(decoded_width(400, 10) == 768); // full
}

TEST_CASE("gray, 16-bit and RGBA inputs become 8-bit RGB") {
  test::TempDir dir;
  cv::Mat gray16(20, 30, CV_16UC1, cv::Scalar(65535));
  gray16.at<uint16_t>(0, 0) = 0;
  gray16.at<uint16_t>(0, 1) = 32896;  // 128.5 * 257 -> rounds to 128
  cv::imwrite(dir.file("g16.png"), gray16);
  Image g = read_image(dir.file("g16.png"));
  CHECK(g.width == 30);
  CHECK(g.at(0, 0)[0] == 0);
  CHECK(int(g.at(1, 0)[1]) == 128);
  CHECK(g.at(5, 5)[2] == 255);

  cv::Mat bgra(10, 10, CV_8UC4, cv::Scalar(10, 20, 30, 0));  // fully transparent
  cv::imwrite(dir.file("a.png"), bgra);
  Image dropped = read_image(dir.file("a.png"));
  CHECK(dropped.at(0, 0)[0] == 30);  // alpha dropped: colour kept, in RGB order
  DecodeOptions white;
  white.alpha = Alpha::white;
  CHECK(read_image(dir.file("a.png"), white).at(0, 0)[0] == 255);
}

TEST_CASE("a decompression bomb is refused before any pixel is decoded") {
  Bytes bomb = test::png_header(100000, 100000);
  CHECK_THROWS_WITH_AS(decode_image(bomb, "bomb.png"), doctest::Contains("bomb.png: image is 100000x100000, above the limit"),
                       Error);
  DecodeOptions small;
  small.max_pixels = 100;
  CHECK_THROWS_AS(decode_image(encode_image(test::make_test_image(20, 20), Format::png), "x.png", small), Error);
}

TEST_CASE("a PNG that lies about its size fails cleanly") {
  Bytes png = encode_image(test::make_test_image(64, 64), Format::png);
  png[16 + 3] = 200;  // width 64 -> 200 in IHDR (CRC now wrong too)
  CHECK_THROWS_AS(decode_image(png, "lie.png"), Error);
}

TEST_CASE("truncated files: an error by default, a flagged partial image when allowed") {
  Bytes jpeg = encode_image(test::make_test_image(256, 256), Format::jpeg);
  Bytes cut(jpeg.begin(), jpeg.begin() + jpeg.size() / 2);
  CHECK_THROWS_WITH_AS(decode_image(cut, "cut.jpg"), doctest::Contains("cut.jpg: truncated or corrupt JPEG"), Error);
  DecodeOptions lenient;
  lenient.allow_truncated = true;
  Image partial = decode_image(cut, "cut.jpg", lenient);
  CHECK(partial.truncated);
  CHECK(partial.width == 256);

  Bytes png = encode_image(test::make_test_image(256, 256), Format::png);
  Bytes cut_png(png.begin(), png.begin() + png.size() / 2);
  CHECK_THROWS_WITH_AS(decode_image(cut_png, "cut.png"), doctest::Contains("cut.png: cannot decode png"), Error);
}

TEST_CASE("every truncation and bit flip of a small image fails cleanly or decodes") {
  Bytes png = encode_image(test::make_test_image(24, 24), Format::png);
  Bytes jpeg = encode_image(test::make_test_image(24, 24), Format::jpeg);
  for (const Bytes* b : {&png, &jpeg}) {
    for (size_t n = 0; n < b->size(); n += 7) {
      Bytes cut(b->begin(), b->begin() + n);
      try { decode_image(cut, "x"); } catch (const Error&) {}
      Bytes flipped = *b;
      flipped[n] ^= 0x5A;
      try { decode_image(flipped, "x"); } catch (const Error&) {}
    }
  }
}

TEST_CASE("a small file whose header claims a huge image is refused before anything is allocated") {
  // A 2 KB JPEG whose frame header says 16000x16000: every 8x8 block needs a bit, so at least 500 KB.
  Bytes jpeg = encode_image(test::make_test_image(64, 64), Format::jpeg);
  size_t sof = 2;
  while (!(jpeg[sof] == 0xFF && jpeg[sof + 1] == 0xC0)) ++sof;
  for (size_t at : {sof + 5, sof + 7}) {
    jpeg[at] = uint8_t(16000 >> 8);
    jpeg[at + 1] = uint8_t(16000 & 0xFF);
  }
  CHECK_THROWS_WITH_AS(decode_image(jpeg, "huge.jpg"), doctest::Contains("huge.jpg: header claims 16000x16000 pixels"),
                       Error);
  // A PNG header claiming 16000x16000 RGB with a few bytes of data: deflate cannot shrink 768 MB that far.
  Bytes png = test::png_header(16000, 16000);
  png.resize(png.size() + 4096, 0);
  CHECK_THROWS_WITH_AS(decode_image(png, "huge.png"), doctest::Contains("huge.png: header claims 16000x16000"), Error);
}

TEST_CASE("the size plausibility check never refuses a real, maximally compressible image") {
  Image black;
  black.width = 3000;
  black.height = 1000;
  black.pixels.assign(size_t(3000) * 1000 * 3, 0);
  for (Format f : {Format::png, Format::jpeg}) {
    CAPTURE(format_name(f));
    Bytes encoded = encode_image(black, f);
    CHECK(decode_image(encoded, "black").width == 3000);
  }
}

TEST_CASE("a BMP height of INT_MIN is a huge image, not a negative one") {
  Bytes bmp = encode_image(test::make_test_image(4, 4), Format::bmp);
  bmp[22] = 0;
  bmp[23] = 0;
  bmp[24] = 0;
  bmp[25] = 0x80;  // height -2^31
  CHECK_THROWS_WITH_AS(decode_image(bmp, "min.bmp"), doctest::Contains("min.bmp: image is 4x2147483647, above the limit"),
                       Error);
}
