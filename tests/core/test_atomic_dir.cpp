#include "core/atomic_dir.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tiny;
namespace fs = std::filesystem;

namespace {

// The names in a folder, hidden ones included.
std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("AtomicDir shows its folder only on commit, and leaves nothing behind without it") {
  test::TempDir dir;
  const std::string out = dir.file("sub/report");
  {
    AtomicDir a(out, false);
    write_file_atomic(a.file("x.txt"), std::string_view("1"), false);
    CHECK(!fs::exists(out));
  }
  CHECK(names(dir.file("sub")).empty());
  AtomicDir b(out, false);
  write_file_atomic(b.file("x.txt"), std::string_view("1"), false);
  b.commit();
  CHECK(names(out) == std::vector<std::string>{"x.txt"});
  CHECK(names(dir.file("sub")) == std::vector<std::string>{"report"});
}

TEST_CASE("AtomicDir refuses a folder with contents unless it replaces it whole") {
  test::TempDir dir;
  const std::string out = dir.file("report");
  fs::create_directories(out);
  AtomicDir empty(out + "/", false);  // an empty folder is taken as it is
  write_file_atomic(empty.file("old.txt"), std::string_view("old"), false);
  empty.commit();
  CHECK_THROWS_WITH_AS(AtomicDir(out, false), (out + ": already exists and is not empty (use --force to replace it whole)").c_str(),
                       Error);
  CHECK_THROWS_AS(check_can_replace_folder(out, false), Error);
  AtomicDir replaced(out, true);
  write_file_atomic(replaced.file("new.txt"), std::string_view("new"), false);
  CHECK(names(out) == std::vector<std::string>{"old.txt"});
  replaced.commit();
  CHECK(names(out) == std::vector<std::string>{"new.txt"});
  CHECK(names(dir.path()) == std::vector<std::string>{"report"});

  write_file_atomic(dir.file("file"), std::string_view("x"), false);
  CHECK_THROWS_WITH_AS(check_can_replace_folder(dir.file("file"), true), (dir.file("file") + ": exists and is not a folder").c_str(),
                       Error);
  CHECK_NOTHROW(check_can_replace_folder(dir.file("absent"), false));
}
