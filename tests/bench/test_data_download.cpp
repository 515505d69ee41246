// Downloading a benchmark set from a manifest: checksums of decoded pixels, all-or-nothing folders.
#include "bench/data_download.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "image/encode.hpp"
#include "bench/loopback_server.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <map>

using namespace tiny;
using namespace tiny::bench;
namespace fs = std::filesystem;

namespace {

// Serves `files` (name -> bytes) under /set/; anything else is a 404.
bench::LoopbackServer serve(const std::map<std::string, std::string>& files) {
  return bench::LoopbackServer(
      [files](const bench::HttpRequest& r) {
        bench::HttpResponse resp;
        const std::string prefix = "/set/";
        auto it = r.path.rfind(prefix, 0) == 0 ? files.find(r.path.substr(prefix.size())) : files.end();
        if (it == files.end()) resp.status = 404;
        else resp.body = it->second;
        return resp;
      },
      100, 60);
}

std::string png_bytes(const image::Image& img) {
  Bytes b = image::encode_image(img, image::Format::png);
  return std::string(b.begin(), b.end());
}

DataSetManifest manifest_of(const std::map<std::string, image::Image>& images) {
  DataSetManifest m{"set", "test set", "http://unused/", {}};
  for (const auto& [name, img] : images) m.files.push_back({name, img.width, img.height, pixels_sha256(img)});
  return m;
}

}  // namespace

TEST_CASE("pixels_sha256 hashes the RGB bytes") {
  CHECK(pixels_sha256(image::Image::blank(1, 1)) == "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c");
  CHECK(pixels_sha256(test::make_test_image(8, 8, 1)) != pixels_sha256(test::make_test_image(8, 8, 2)));
}

TEST_CASE("read_data_set_manifest: the shipped Kodak manifest shape, unknown keys and unsafe names refused") {
  test::TempDir dir;
  const std::string good = R"({"name": "k", "base_url": "http://x/", "files": [
      {"name": "a.png", "width": 2, "height": 3, "pixels_sha256": ")" + std::string(64, 'a') + R"("}]})";
  write_file_atomic(dir.file("good.json"), good, false);
  DataSetManifest m = read_data_set_manifest(dir.file("good.json"));
  REQUIRE(m.files.size() == 1);
  CHECK(m.files[0].width == 2);
  CHECK(m.files[0].height == 3);

  write_file_atomic(dir.file("unknown.json"), std::string(R"({"name": "k", "base_url": "", "files": [], "mirror": 1})"), false);
  CHECK_THROWS_WITH_AS(read_data_set_manifest(dir.file("unknown.json")), doctest::Contains("mirror"), Error);
  std::string unsafe = good;
  unsafe.replace(unsafe.find("a.png"), 5, "../a.png");
  write_file_atomic(dir.file("unsafe.json"), unsafe, false);
  CHECK_THROWS_WITH_AS(read_data_set_manifest(dir.file("unsafe.json")), doctest::Contains("../a.png"), Error);
}

TEST_CASE("download_data_set: verified files land in the folder, in one step") {
  const image::Image a = test::make_test_image(40, 24, 1), b = test::make_test_image(24, 40, 2);
  auto server = serve({{"a.png", png_bytes(a)}, {"b.png", png_bytes(b)}});
  test::TempDir dir;
  const fs::path target = dir.path() / "cache" / "set";
  download_data_set(manifest_of({{"a.png", a}, {"b.png", b}}), target.string(), server.base_url() + "/set");
  CHECK(fs::is_regular_file(target / "a.png"));
  CHECK(fs::is_regular_file(target / "b.png"));
  CHECK_FALSE(fs::exists(target.string() + ".download"));
}

TEST_CASE("download_data_set: a file whose pixels differ, or a missing file, leaves nothing behind") {
  const image::Image a = test::make_test_image(40, 24, 1), b = test::make_test_image(40, 24, 2);
  test::TempDir dir;
  const fs::path target = dir.path() / "set";
  SUBCASE("wrong pixels") {
    auto server = serve({{"a.png", png_bytes(a)}, {"b.png", png_bytes(a)}});
    CHECK_THROWS_WITH_AS(download_data_set(manifest_of({{"a.png", a}, {"b.png", b}}), target.string(),
                                           server.base_url() + "/set"),
                         doctest::Contains("b.png: its pixels do not match"), Error);
  }
  SUBCASE("not an image") {
    auto server = serve({{"a.png", "not a png"}});
    CHECK_THROWS_WITH_AS(download_data_set(manifest_of({{"a.png", a}}), target.string(), server.base_url() + "/set"),
                         doctest::Contains("a.png"), Error);
  }
  SUBCASE("404") {
    auto server = serve({{"a.png", png_bytes(a)}});
    CHECK_THROWS_WITH_AS(download_data_set(manifest_of({{"a.png", a}, {"b.png", b}}), target.string(),
                                           server.base_url() + "/set"),
                         doctest::Contains("b.png: download failed"), Error);
  }
  CHECK_FALSE(fs::exists(target));
  CHECK_FALSE(fs::exists(target.string() + ".download"));
}
