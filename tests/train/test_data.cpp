#include "core/error.hpp"
#include "core/file_io.hpp"
#include "train/data.hpp"
#include "train_fixtures.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tiny;

namespace {

train::DataSection section(const std::string& folder) {
  train::DataSection d;
  d.train = {folder};
  d.patch_size = 64;
  d.batch_size = 3;
  d.val_fraction = 0.25;
  return d;
}

}  // namespace

TEST_CASE("split_data lists folders recursively and holds out a seeded validation share") {
  test::TempDir dir;
  test::make_image_folder(dir, "data/a", 4);
  test::make_image_folder(dir, "data/a/deeper", 4);
  train::DataSplit s = train::split_data(section(dir.file("data")), 1);
  CHECK(s.train.size() == 6);
  CHECK(s.val.size() == 2);
  for (const auto& v : s.val) CHECK(std::find(s.train.begin(), s.train.end(), v) == s.train.end());
  train::DataSplit again = train::split_data(section(dir.file("data")), 1);
  CHECK(again.val == s.val);
  train::DataSection explicit_val = section(dir.file("data/a/deeper"));
  explicit_val.val = {dir.file("data/a/img0.png")};
  train::DataSplit e = train::split_data(explicit_val, 1);
  CHECK(e.train.size() == 4);
  CHECK(e.val == std::vector<std::string>{dir.file("data/a/img0.png")});
}

TEST_CASE("split_data refuses missing and empty sources") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("empty"));
  CHECK_THROWS_WITH_AS(train::split_data(section(dir.file("empty")), 1), doctest::Contains("no training images"), Error);
  CHECK_THROWS_AS(train::split_data(section(dir.file("missing")), 1), Error);
}

TEST_CASE("the patch loader gives the same batches whatever the thread count, in [0, 1]") {
  test::TempDir dir;
  train::DataSection d = section(test::make_image_folder(dir, "data", 5));
  std::vector<std::string> files = train::split_data(d, 1).train;
  d.loader_threads = 1;
  train::PatchLoader one(files, d, 9, 0);
  d.loader_threads = 3;
  d.prefetch = 2;
  train::PatchLoader three(files, d, 9, 0);
  torch::Tensor a0 = one.next(), a1 = one.next();
  CHECK(a0.sizes() == torch::IntArrayRef({3, 3, 64, 64}));
  CHECK(a0.min().item<float>() >= 0.0f);
  CHECK(a0.max().item<float>() <= 1.0f);
  CHECK(torch::equal(a0, three.next()));
  CHECK(torch::equal(a1, three.next()));
  CHECK(!torch::equal(a0, a1));
  train::PatchLoader later(files, d, 9, 1);
  CHECK(torch::equal(a1, later.next()));
  CHECK(one.wait_seconds() >= 0);
}

TEST_CASE("unreadable training images are skipped and counted; none readable is an error") {
  test::TempDir dir;
  train::DataSection d = section(test::make_image_folder(dir, "data", 2));
  write_file_atomic(dir.file("data/broken.png"), std::string_view("not a png"), false);
  d.val_fraction = 0;
  std::vector<std::string> files = train::split_data(d, 1).train;
  REQUIRE(files.size() == 3);
  train::PatchLoader loader(files, d, 1, 0);
  for (int i = 0; i < 4; ++i) CHECK(loader.next().size(0) == 3);
  CHECK(loader.skipped() == 1);

  train::PatchLoader bad({dir.file("data/broken.png")}, d, 1, 0);
  CHECK_THROWS_WITH_AS(bad.next(), doctest::Contains("could be read"), Error);
}

TEST_CASE("the in-memory patch cache serves deterministic patches") {
  test::TempDir dir;
  train::DataSection d = section(test::make_image_folder(dir, "data", 3));
  d.cache = true;
  d.cache_patches = 2;
  std::vector<std::string> files = train::split_data(d, 1).train;
  train::PatchLoader a(files, d, 4, 0), b(files, d, 4, 0);
  torch::Tensor x = a.next();
  CHECK(torch::equal(x, b.next()));
  CHECK(x.max().item<float>() <= 1.0f);
  CHECK(x.std().item<float>() > 0.01f);
}

TEST_CASE("validation images are centre crops; unreadable ones are skipped") {
  test::TempDir dir;
  test::make_image_folder(dir, "val", 2);
  write_file_atomic(dir.file("val/broken.png"), std::string_view("junk"), false);
  size_t skipped = 0;
  torch::Tensor v = train::load_validation({dir.file("val/img0.png"), dir.file("val/broken.png"), dir.file("val/img1.png")},
                                           64, skipped);
  CHECK(v.sizes() == torch::IntArrayRef({2, 3, 64, 64}));
  CHECK(skipped == 1);
}

TEST_CASE("the shares of the ranks make up the batch of a single process") {
  test::TempDir dir;
  train::DataSection d = section(test::make_image_folder(dir, "data", 4));
  d.batch_size = 4;
  std::vector<std::string> files = train::split_data(d, 1).train;
  train::PatchLoader whole(files, d, 5, 3), first(files, d, 5, 3, 0, 2), second(files, d, 5, 3, 1, 2);
  torch::Tensor a = first.next(), b = second.next();
  CHECK(a.size(0) == 2);
  CHECK(torch::equal(torch::cat({a, b}), whole.next()));
  CHECK_THROWS_AS(train::PatchLoader(files, d, 5, 0, 0, 3), UsageError);
}
