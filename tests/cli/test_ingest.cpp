#include "core/json_file.hpp"
#include "bench/loopback_server.hpp"
#include "../ingest/ingest_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace tiny;
using test::run_tiny;
namespace fs = std::filesystem;

TEST_CASE("tiny ingest turns a folder into shards and reports as JSON") {
  test::TempDir dir;
  fs::create_directories(dir.file("imgs"));
  for (int i = 0; i < 5; ++i) write_file_atomic(dir.file(fmt::format("imgs/{}.jpg", i)), test::numbered_jpeg(i), false);
  write_file_atomic(dir.file("imgs/bad.png"), std::string_view("not a png"), false);
  auto r = run_tiny("ingest --json " + dir.file("imgs") + " -o " + dir.file("out") + " --shard-size 4 --size 32");
  CHECK(r.exit_code == 1);  // bad.png failed: the run finishes and reports, then exits 1
  Json j = parse_json(r.out, "stdout");
  CHECK(j["samples"] == 6);
  CHECK(j["successes"] == 5);
  CHECK(j["failures"]["decode"] == 1);
  CHECK(j["failed"] == 1);
  CHECK(j["version"].is_string());
  CHECK(fs::exists(dir.file("out/00001.tar")));
  CHECK(fs::exists(dir.file("out/00001_stats.json")));
  auto again = run_tiny("ingest " + dir.file("imgs") + " -o " + dir.file("out"));
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("--resume") != std::string::npos);
  auto resumed = run_tiny("ingest " + dir.file("imgs") + " -o " + dir.file("out") + " --shard-size 4 --resume");
  CHECK(resumed.exit_code == 1);  // the skipped shards' counts, bad.png's failure among them, are the run's
  CHECK(resumed.out.find("2 skipped") != std::string::npos);
}

TEST_CASE("tiny ingest rejects bad options and inputs with one line and exit 2") {
  test::TempDir dir;
  auto missing = run_tiny("ingest " + dir.file("nope.txt") + " -o " + dir.file("out"));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.txt") != std::string::npos);
  write_file_atomic(dir.file("u.txt"), std::string_view("http://127.0.0.1:1/a.jpg\n"), false);
  auto keep = run_tiny("ingest " + dir.file("u.txt") + " -o " + dir.file("out") + " --format keep");
  CHECK(keep.exit_code == 2);
  CHECK(keep.err.find("--resize-mode no") != std::string::npos);
  auto split = run_tiny("ingest " + dir.file("u.txt") + " -o " + dir.file("out") + " --shard-index 3 --num-shards 2");
  CHECK(split.exit_code == 2);
}

TEST_CASE("tiny ingest killed mid-run and resumed gives the same samples as an uninterrupted run") {
  std::atomic<bool> block{true};
  bench::LoopbackServer server(
      [&](const bench::HttpRequest& r) {
        int n = std::atoi(r.path.c_str() + 5);
        auto start = std::chrono::steady_clock::now();
        while (n >= 10 && block && std::chrono::steady_clock::now() - start < std::chrono::seconds(20))
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::atomic<int> unused{0};
        return test::ingest_fault_response(r, unused);
      },
      1000, 120);
  test::TempDir dir;
  std::string list;
  for (int i = 0; i < 20; ++i) list += fmt::format("{}/img/{}\n", server.base_url(), i);
  write_file_atomic(dir.file("urls.txt"), list, false);
  std::string args = fmt::format("ingest {} -o {} --shard-size 4 --size 32 -q", dir.file("urls.txt"), dir.file("killed"));
  int status = std::system(fmt::format("timeout -s KILL 3 '{}' {} > /dev/null 2>&1", TINY_EXE, args).c_str());
  CHECK(WEXITSTATUS(status) == 137);
  CHECK(fs::exists(dir.file("killed/00001_stats.json")));
  CHECK(!fs::exists(dir.file("killed/00002_stats.json")));
  block = false;
  auto resumed = run_tiny(args + " --resume");
  REQUIRE(resumed.exit_code == 0);
  CHECK(resumed.out.find("2 skipped") != std::string::npos);
  auto full = run_tiny(fmt::format("ingest {} -o {} --shard-size 4 --size 32 -q", dir.file("urls.txt"), dir.file("full")));
  REQUIRE(full.exit_code == 0);
  auto a = test::read_output(dir.file("killed")), b = test::read_output(dir.file("full"));
  CHECK(a.size() == 20);
  CHECK(a == b);
}

TEST_CASE("tiny bench ingest --quick measures tiny and the naive baseline in one run") {
  auto data = test::shared_data();
  if (!data || !fs::is_directory(*data / "train")) {
    MESSAGE("skipped: shared data folder with train/ not found");
    return;
  }
  auto r = run_tiny("--threads 2 bench ingest --quick --json --urls 120 --baseline-urls 30 --photos " +
                    (*data / "train").string());
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["results"].size() == 2);
  CHECK(j["results"][0]["images"] == 120);
  CHECK(j["baseline"]["images_per_s"].get<double>() > 0);
  CHECK(j["ratio"].get<double>() > 0);
  CHECK(j["peak_rss_mb"].get<double>() > 0);
  auto missing = run_tiny("bench ingest --quick --photos /nonexistent/photos");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no JPEG photos") != std::string::npos);
}
