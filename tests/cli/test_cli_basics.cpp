// End-to-end checks of the CLI conventions: help, version, exit codes, JSON configs.
#include "codec/codec.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

using namespace tiny;
using test::run_tiny;

TEST_CASE("--help lists the commands and --version tells the build") {
  auto help = run_tiny("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("info") != std::string::npos);
  auto version = run_tiny("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("tiny 0.") == 0);
  CHECK(version.out.find("features:") != std::string::npos);
  CHECK(version.out.find("torch-") != std::string::npos);
}

TEST_CASE("a subcommand's --help shows examples") {
  auto r = run_tiny("info --help");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.out.find("--config") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with one line on stderr and nothing on stdout") {
  for (const char* args : {"", "no-such-command", "info --no-such-flag x.png", "info", "--threads -3 info x"}) {
    CAPTURE(args);
    auto r = run_tiny(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("tiny: error: ") == 0);
  }
}

TEST_CASE("an unknown command is named as such, at the top level and in a group") {
  const std::pair<const char*, const char*> cases[] = {
      {"frobnicate", "tiny: error: unknown command 'frobnicate' (run 'tiny --help' for the list of commands)\n"},
      {"--json --threads 2 frobnicate x.png", "tiny: error: unknown command 'frobnicate' (run 'tiny --help' for the list of commands)\n"},
      {"bench frobnicate", "tiny: error: unknown command 'bench frobnicate' (run 'tiny bench --help' for the list of commands)\n"}};
  for (const auto& [args, expected] : cases) {
    CAPTURE(args);
    auto r = run_tiny(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == expected);
  }
}

TEST_CASE("every command that replaces outputs takes --force, also spelled --overwrite") {
  for (const char* command : {"compress", "decompress", "convert", "filter-dataset", "frames", "ingest", "train",
                              "bench kodak", "bench images"}) {
    CAPTURE(command);
    auto help = run_tiny(std::string(command) + " --help");
    REQUIRE(help.exit_code == 0);
    CHECK(help.out.find("--force,--overwrite") != std::string::npos);
  }
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::make_test_image(40, 30, 1), false);
  codec::Codec::untrained({"mbt2018-mean", 2, 8, 12, 0.0035}, 1).save(dir.file("m.tmodel"), false, false);
  const std::string compress = "compress -m " + dir.file("m.tmodel") + " " + dir.file("a.png");
  REQUIRE(run_tiny(compress).exit_code == 0);
  auto again = run_tiny(compress);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("a.tic: already exists (use --force to overwrite)") != std::string::npos);
  CHECK(run_tiny(compress + " --overwrite").exit_code == 0);
  CHECK(run_tiny(compress + " --force").exit_code == 0);

  // The config key is "force"; files written with the older key "overwrite" still read.
  write_file_atomic(dir.file("old.json"), std::string_view(R"({"overwrite": true})"), false);
  auto config = run_tiny(compress + " --config " + dir.file("old.json") + " --print-config");
  REQUIRE(config.exit_code == 0);
  Json j = parse_json(config.out, "stdout");
  CHECK(j["force"] == true);
  CHECK(!j.contains("overwrite"));
  CHECK(run_tiny(compress + " --config " + dir.file("old.json")).exit_code == 0);
}

TEST_CASE("--print-config shows the effective options, with flags overriding the file") {
  test::TempDir dir;
  write_file_atomic(dir.file("c.json"), std::string_view(R"({"files": ["a.png", "b.png"], "threads": 3})"), false);
  auto r = run_tiny("info --config " + dir.file("c.json") + " --threads 1 --print-config");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["files"] == Json({"a.png", "b.png"}));
  CHECK(j["threads"] == 1);
  CHECK(j["json"] == false);
}

TEST_CASE("config files: bad JSON, unknown keys and wrong types are usage errors naming file and key") {
  test::TempDir dir;
  auto check = [&](const std::string& text, const std::string& expected) {
    write_file_atomic(dir.file("c.json"), std::string_view(text), true);
    auto r = run_tiny("info x.png --config " + dir.file("c.json"));
    CAPTURE(text);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(dir.file("c.json")) != std::string::npos);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  };
  check("{\"threads\": 2,,}", "invalid JSON at line 1");
  check("{\"thread\": 2}", "unknown key 'thread'");
  check("{\"threads\": \"two\"}", "key 'threads' must be an integer");
  check("{\"json\": 1}", "key 'json' must be true or false");
  check("[1, 2]", "must hold a JSON object");
  auto missing = run_tiny("info x.png --config " + dir.file("missing.json"));
  CHECK(missing.exit_code == 2);
}

TEST_CASE("a config file sets flags and options") {
  test::TempDir dir;
  test::TempDir img_dir;
  write_file_atomic(dir.file("c.json"), std::string_view(R"({"json": true, "files": ["/nonexistent.png"]})"), false);
  auto r = run_tiny("info --config " + dir.file("c.json"));
  CHECK(r.exit_code == 1);
  Json j = parse_json(r.out, "stdout")["files"];
  CHECK(j[0]["file"] == "/nonexistent.png");
}

TEST_CASE("hostile configs: deep nesting and repeated keys are one-line usage errors, never a crash") {
  test::TempDir dir;
  write_file_atomic(dir.file("deep.json"), std::string(100000, '[') + std::string(100000, ']'), false);
  write_file_atomic(dir.file("dup.json"), R"({"threads": 1, "threads": 2})", false);
  for (const char* args : {"compress --config {}/deep.json x.png", "train --config {}/deep.json",
                           "compress --config {}/dup.json x.png"}) {
    CAPTURE(args);
    auto r = test::run_tiny(fmt::format(args, dir.path().string()));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("a config value that an option's check refuses is an error naming the file and key") {
  test::TempDir dir;
  write_file_atomic(dir.file("c.json"), std::string_view(R"({"max-retry-after": 99999})"), false);
  auto r = run_tiny("ingest x.txt -o " + dir.file("out") + " --config " + dir.file("c.json"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(dir.file("c.json") + ": key 'max-retry-after'") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto flag = run_tiny("ingest x.txt -o " + dir.file("out") + " --max-retry-after 99999 --config " + dir.file("c.json"));
  CHECK(flag.exit_code == 2);
  CHECK(flag.err.find("c.json") == std::string::npos);  // the bad value came from the command line
}
