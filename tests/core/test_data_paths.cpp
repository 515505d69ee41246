#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace tiny;

TEST_CASE("find_data_set: an explicit folder wins, then $TINY_DATA/<name>") {
  CHECK(find_data_set("kodak", "/some/where") == "/some/where");
  test::TempDir dir;
  std::filesystem::create_directory(dir.path() / "mine");
  const char* old = std::getenv("TINY_DATA");
  std::string saved = old ? old : "";
  setenv("TINY_DATA", dir.path().c_str(), 1);
  CHECK(find_data_set("mine") == (dir.path() / "mine").string());
  std::string expected = "no 'no-such-set-anywhere' data set found (tried " + dir.path().string();
  CHECK_THROWS_WITH_AS(find_data_set("no-such-set-anywhere"), doctest::Contains(expected.c_str()), Error);
  if (old) setenv("TINY_DATA", saved.c_str(), 1); else unsetenv("TINY_DATA");
}

TEST_CASE("shipped files are found relative to the installation root") {
  CHECK(shipped_file("configs/x.json").filename() == "x.json");
  CHECK(shipped_file("configs/x.json").parent_path().filename() == "configs");
}
