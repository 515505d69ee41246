#include "core/process.hpp"
#include "core/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tiny;
namespace fs = std::filesystem;

TEST_CASE("run_command returns the exit code and stdout, and shell_quote passes any text as one argument") {
  const std::string text = "it's a \"test\" $HOME `x` \\ ;|&";
  CommandResult r = run_command("printf '%s' " + shell_quote(text));
  CHECK(r.exit_code == 0);
  CHECK(r.out == text);
  CHECK(run_command("exit 77").exit_code == 77);
  CHECK(run_command("kill -9 $$").exit_code == -1);
}

TEST_CASE("a ScratchDir is private to its owner and removed with its contents") {
  fs::path kept;
  {
    ScratchDir a("tiny-test"), b("tiny-test");
    CHECK(a.path() != b.path());
    CHECK(a.path().filename().string().rfind("tiny-test-", 0) == 0);
    std::ofstream(a.file("x.txt")) << "x";
    CHECK(fs::exists(a.file("x.txt")));
    kept = a.path();
  }
  CHECK_FALSE(fs::exists(kept));
}
