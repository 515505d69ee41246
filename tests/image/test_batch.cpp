#include "core/error.hpp"
#include "core/threads.hpp"
#include "image/batch.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tiny;
using namespace tiny::image;

namespace {

LoadSpec batch_spec() {
  LoadSpec s;
  s.resize = 40;
  s.crop = CropMode::random;
  s.crop_width = 32;
  s.crop_height = 24;
  s.seed = 7;
  return s;
}

}  // namespace

TEST_CASE("a batch holds each file's tensor in order and reports failures per file") {
  test::TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 5; ++i) {
    paths.push_back(dir.file("img" + std::to_string(i) + ".jpg"));
    write_image(paths.back(), test::make_test_image(60 + 10 * i, 50, i + 1), true);
  }
  write_file_atomic(dir.file("empty.jpg"), Bytes{}, true);
  paths.insert(paths.begin() + 2, dir.file("empty.jpg"));
  paths.push_back(dir.file("missing.png"));

  LoadSpec spec = batch_spec();
  BatchResult batch = load_batch(paths, spec);
  REQUIRE(batch.count == 7);
  CHECK((batch.width == 32 && batch.height == 24));
  REQUIRE(batch.data.size() == 7u * 3 * 32 * 24);
  CHECK(batch.failed() == 2);
  CHECK(!batch.files[2].ok);
  CHECK(batch.files[2].error.find("empty.jpg") != std::string::npos);
  CHECK(!batch.files[6].ok);
  CHECK(batch.files[6].error.find("missing.png") != std::string::npos);

  size_t slice = 3 * 32 * 24;
  CHECK(std::all_of(batch.data.begin() + 2 * slice, batch.data.begin() + 3 * slice, [](float v) { return v == 0; }));
  CHECK(batch.files[0].ok);
  std::vector<float> one(slice);
  LoadSpec first = spec;
  first.seed = spec.seed * 0x9E3779B97F4A7C15ull;
  load_tensor(paths[0], first, one.data());
  CHECK(std::equal(one.begin(), one.end(), batch.data.begin()));

  CHECK_THROWS_WITH_AS(load_batch(paths, spec, true), doctest::Contains(".jpg"), Error);
}

TEST_CASE("batch results do not depend on the thread count") {
  test::TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 6; ++i) {
    paths.push_back(dir.file(std::to_string(i) + ".png"));
    write_image(paths.back(), test::make_test_image(70, 45, i + 3), true);
  }
  set_thread_count(1);
  BatchResult one = load_batch(paths, batch_spec());
  set_thread_count(2);
  BatchResult two = load_batch(paths, batch_spec());
  set_thread_count(0);
  CHECK(one.failed() == 0);
  CHECK(one.data == two.data);
}

TEST_CASE("a batch needs a fixed output size") {
  LoadSpec s;
  s.resize = 32;
  CHECK_THROWS_AS(load_batch({"a.jpg"}, s), UsageError);
}
