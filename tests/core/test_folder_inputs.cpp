#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/folder_inputs.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
namespace fs = std::filesystem;

TEST_CASE("folders expand to the wanted files below them, sorted, with their paths inside the folder") {
  test::TempDir dir;
  fs::create_directories(dir.file("in/b/c"));
  for (const char* f : {"in/z.tic", "in/b/c/y.TIC", "in/a.tic", "in/skip.png", "in/b/x.tic.txt"})
    write_file_atomic(dir.file(f), std::string_view("x"), false);
  fs::create_symlink(dir.file("in/a.tic"), dir.file("in/link.tic"));
  fs::create_directories(dir.file("in/d.tic"));  // a folder with a wanted name is not a file
  auto tic = [](const std::string& name) { return has_extension(name, ".tic"); };
  std::vector<InputFile> got = expand_folders({dir.file("single.tic"), dir.file("in"), "-"}, tic, ".tic files");
  REQUIRE(got.size() == 5);
  CHECK(got[0].path == dir.file("single.tic"));  // files stay as given, existing or not
  CHECK(got[0].relative.empty());
  CHECK(got[1].relative == "a.tic");
  CHECK(got[2].relative == "b/c/y.TIC");
  CHECK(got[2].path == dir.file("in/b/c/y.TIC"));
  CHECK(got[3].relative == "z.tic");
  CHECK(got[4].path == "-");

  fs::create_directories(dir.file("empty/sub"));
  CHECK_THROWS_WITH_AS(expand_folders({dir.file("empty")}, tic, ".tic files"),
                       (dir.file("empty") + ": no .tic files in this folder").c_str(), Error);
}

TEST_CASE("extensions match in any case, never the whole name") {
  CHECK(has_extension("a.tic", ".tic"));
  CHECK(has_extension("A.TiC", ".tic"));
  CHECK(!has_extension(".tic", ".tic"));
  CHECK(!has_extension("atic", ".tic"));
  CHECK(!has_extension("a.tic.png", ".tic"));
}
