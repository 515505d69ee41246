#include "core/error.hpp"
#include "core/file_io.hpp"
#include "dataset/actions.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using namespace tiny::dataset;
namespace fs = std::filesystem;

TEST_CASE("copy, hardlink, symlink and move place files under their relative paths") {
  test::TempDir dir;
  fs::create_directories(dir.path() / "src/sub");
  write_file_atomic(dir.file("src/a.jpg"), std::string_view("A"), false);
  write_file_atomic(dir.file("src/sub/b.jpg"), std::string_view("B"), false);
  std::vector<SourceFile> files = {{dir.file("src/a.jpg"), "a.jpg"}, {dir.file("src/sub/b.jpg"), "sub/b.jpg"}};
  for (const char* name : {"copy", "hardlink", "symlink"}) {
    std::string out = dir.file(std::string("out_") + name);
    place_files(files, out, action_from_name(name));
    CHECK(read_text_file(out + "/sub/b.jpg") == "B");
    CHECK(fs::exists(dir.file("src/sub/b.jpg")));
  }
  CHECK(fs::is_symlink(dir.file("out_symlink/a.jpg")));
  place_files(files, dir.file("moved"), Action::move);
  CHECK(read_text_file(dir.file("moved/a.jpg")) == "A");
  CHECK(!fs::exists(dir.file("src/a.jpg")));
  CHECK(!fs::exists(dir.file("moved/a.jpg.tiny-partial")));
}

TEST_CASE("actions refuse collisions, existing destinations and unsafe names before touching anything") {
  test::TempDir dir;
  write_file_atomic(dir.file("a.jpg"), std::string_view("A"), false);
  write_file_atomic(dir.file("b.jpg"), std::string_view("B"), false);
  fs::create_directories(dir.path() / "out");
  write_file_atomic(dir.file("out/b.jpg"), std::string_view("old"), false);
  std::vector<SourceFile> clash = {{dir.file("a.jpg"), "x.jpg"}, {dir.file("b.jpg"), "x.jpg"}};
  CHECK_THROWS_WITH_AS(place_files(clash, dir.file("out"), Action::move), doctest::Contains("two kept files"), Error);
  std::vector<SourceFile> exists = {{dir.file("a.jpg"), "a.jpg"}, {dir.file("b.jpg"), "b.jpg"}};
  CHECK_THROWS_WITH_AS(place_files(exists, dir.file("out"), Action::move), doctest::Contains("destination exists"), Error);
  std::vector<SourceFile> escape = {{dir.file("a.jpg"), "../a.jpg"}};
  CHECK_THROWS_WITH_AS(place_files(escape, dir.file("out"), Action::copy), doctest::Contains("unsafe"), Error);
  CHECK(fs::exists(dir.file("a.jpg")));
  CHECK(fs::exists(dir.file("b.jpg")));
  CHECK(!fs::exists(dir.file("out/a.jpg")));
  CHECK_THROWS_AS(action_from_name("delete"), UsageError);
}

TEST_CASE("move_file and copy_file_durable report missing sources") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(move_file(dir.file("none.jpg"), dir.file("x.jpg")), doctest::Contains("none.jpg"), Error);
  CHECK_THROWS_WITH_AS(copy_file_durable(dir.file("none.jpg"), dir.file("x.jpg")), doctest::Contains("none.jpg"), Error);
  CHECK(!fs::exists(dir.file("x.jpg.tiny-partial")));
}
