#include "core/error.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
namespace fs = std::filesystem;

TEST_CASE("write_file_atomic writes, then refuses to overwrite without permission") {
  test::TempDir dir;
  std::string path = dir.file("out.bin");
  write_file_atomic(path, std::string_view("hello"), false);
  CHECK(read_text_file(path) == "hello");
  CHECK_THROWS_WITH_AS(write_file_atomic(path, std::string_view("x"), false),
                       doctest::Contains("already exists"), Error);
  CHECK(read_text_file(path) == "hello");
  write_file_atomic(path, std::string_view("world"), true);
  CHECK(read_text_file(path) == "world");
}

TEST_CASE("an AtomicFile that is never committed leaves nothing behind") {
  test::TempDir dir;
  {
    AtomicFile f(dir.file("half.bin"), false);
    f.write("partial");
  }
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("reading a missing file names it") {
  CHECK_THROWS_WITH_AS(read_file("/nonexistent/x.png"), doctest::Contains("/nonexistent/x.png: cannot open"), Error);
}

TEST_CASE("reading a folder is an error, not a crash") {
  test::TempDir dir;
  CHECK_THROWS_AS(read_file(dir.path().string()), Error);
}

TEST_CASE("writing into a missing folder fails cleanly") {
  CHECK_THROWS_AS(write_file_atomic("/nonexistent-dir/out.bin", std::string_view("x"), true), Error);
}
