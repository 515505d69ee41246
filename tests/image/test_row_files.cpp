// Images read and written a band of rows at a time: PNG streamed with the same conversions and bytes
// as the whole-image paths, other formats decoded and encoded whole, outputs published only on commit.
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/row_files.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace tiny;
using namespace tiny::image;

namespace {

// Reads every row of a reader in bands of `band` rows.
Image read_all(RowReader& rows, int band) {
  Image img = Image::blank(rows.width(), rows.height());
  for (int y = 0; y < rows.height(); y += band) rows.read(img.at(0, y), std::min(band, rows.height() - y));
  return img;
}

}  // namespace

TEST_CASE("a PNG read a row at a time has the pixels of the whole-image decoder") {
  test::TempDir dir;
  const Image src = test::make_test_image(97, 61, 3);
  cv::Mat rgb(src.height, src.width, CV_8UC3, const_cast<uint8_t*>(src.pixels.data())), gray, bgra, deep;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::cvtColor(rgb, bgra, cv::COLOR_RGB2BGRA);
  rgb.convertTo(deep, CV_16UC3, 257.0 * 0.93, 101);
  const std::vector<std::pair<std::string, cv::Mat>> files = {
      {"rgb.png", rgb}, {"gray.png", gray}, {"rgba.png", bgra}, {"deep.png", deep}, {"bilevel.png", gray}};
  for (const auto& [name, mat] : files) {
    CAPTURE(name);
    const std::string path = dir.file(name);
    std::vector<int> params;
    if (name == "bilevel.png") params = {cv::IMWRITE_PNG_BILEVEL, 1};
    REQUIRE(cv::imwrite(path, mat, params));
    PngRowReader png(path);
    CHECK_FALSE(png.interlaced());
    CHECK(read_all(png, 7).pixels == read_image(path).pixels);
  }
}

TEST_CASE("open_image_rows streams PNG and decodes other formats whole, with the same pixels") {
  test::TempDir dir;
  const Image src = test::make_test_image(64, 40, 5);
  write_image(dir.file("a.png"), src, false);
  write_image(dir.file("a.jpg"), src, false);
  for (const char* name : {"a.png", "a.jpg"}) {
    CAPTURE(name);
    auto rows = open_image_rows(dir.file(name));
    CHECK(rows->width() == 64);
    CHECK(read_all(*rows, 16).pixels == read_image(dir.file(name)).pixels);
  }
  CHECK(dynamic_cast<PngRowReader*>(open_image_rows(dir.file("a.png")).get()) != nullptr);
}

TEST_CASE("a truncated or corrupt PNG read in rows is an error naming the file") {
  test::TempDir dir;
  write_image(dir.file("a.png"), test::make_test_image(80, 80, 2), false);
  Bytes bytes = read_file(dir.file("a.png"));
  bytes.resize(bytes.size() / 2);
  write_file_atomic(dir.file("cut.png"), bytes, false);
  PngRowReader cut(dir.file("cut.png"));
  Image img = Image::blank(80, 80);
  CHECK_THROWS_WITH_AS(cut.read(img.pixels.data(), 80), doctest::Contains("cut.png"), Error);
  write_file_atomic(dir.file("bad.png"), Bytes{0x89, 'P', 'N', 'G', 1, 2, 3}, false);
  CHECK_THROWS_WITH_AS(PngRowReader(dir.file("bad.png")), doctest::Contains("bad.png"), Error);
  CHECK_THROWS_WITH_AS(PngRowReader(dir.file("missing.png")), doctest::Contains("missing.png"), Error);
}

TEST_CASE("a streamed PNG has the bytes of the whole-image encoder and appears only on commit") {
  test::TempDir dir;
  const Image src = test::make_test_image(50, 33, 8);
  {
    ImageFileWriter out(dir.file("s.png"), false);
    out.start(src.width, src.height);
    out.write(src.pixels.data(), 20);
    out.write(src.at(0, 20), 13);
    CHECK_FALSE(std::filesystem::exists(dir.file("s.png")));
    out.commit();
  }
  CHECK(read_file(dir.file("s.png")) == encode_image(src, Format::png));
  {
    ImageFileWriter abandoned(dir.file("gone.png"), false);
    abandoned.start(src.width, src.height);
    abandoned.write(src.pixels.data(), 5);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("gone.png")));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
  ImageFileWriter jpeg(dir.file("s.jpg"), false);
  jpeg.start(src.width, src.height);
  jpeg.write(src.pixels.data(), src.height);
  jpeg.commit();
  CHECK(probe_file(dir.file("s.jpg")).format == Format::jpeg);
  CHECK_THROWS_AS(ImageFileWriter(dir.file("s.png"), false), Error);
  CHECK_THROWS_AS(ImageFileWriter(dir.file("s.gif"), true), UsageError);
}
