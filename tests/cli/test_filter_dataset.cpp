#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "../dataset/dataset_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include <unistd.h>

using namespace tiny;
using test::run_tiny;
namespace fs = std::filesystem;

namespace {

void make_images(const test::TempDir& dir) {
  fs::create_directories(dir.path() / "src/sub");
  image::Image a = test::blocks_image(200, 150, 3);
  image::write_image(dir.file("src/a.png"), a, false);
  image::EncodeOptions q;
  q.quality = 50;
  image::write_image(dir.file("src/sub/a_small.jpg"), test::blocks_image(200, 150, 3), false, q);
  image::write_image(dir.file("src/b.png"), test::blocks_image(200, 150, 11), false);
  write_file_atomic(dir.file("src/empty.jpg"), std::string_view(""), false);
}

}  // namespace

TEST_CASE("tiny filter-dataset lists kept and removed files with reasons as JSON and writes a report") {
  test::TempDir dir;
  make_images(dir);
  auto r = run_tiny("filter-dataset --json " + dir.file("src") + " --report " + dir.file("report"));
  CHECK(r.exit_code == 1);  // empty.jpg cannot be read: reported, the rest done, then exit 1
  Json j = parse_json(r.out, "stdout");
  CHECK(j["summary"]["files"] == 4);
  CHECK(j["summary"]["kept"] == 2);
  CHECK(j["summary"]["duplicates"] == 1);
  CHECK(j["kept"][0] == dir.file("src/a.png"));
  REQUIRE(j["groups"].size() == 1);
  CHECK(j["groups"][0]["keep"] == dir.file("src/a.png"));
  CHECK(r.err.find("empty.jpg: zero-byte file") != std::string::npos);
  CHECK(fs::exists(dir.path() / "report/group-00000.jpg"));
  CHECK(read_text_file(dir.file("report/removed.tsv")).find("near duplicate of") != std::string::npos);
  CHECK(run_tiny("filter-dataset -q --allow-failures " + dir.file("src")).exit_code == 0);
  CHECK(run_tiny("filter-dataset -q --allow-failures " + dir.file("src/empty.jpg")).exit_code == 1);  // nothing read
}

TEST_CASE("tiny filter-dataset --report is all or nothing: an earlier report is refused, or with --force replaced whole") {
  test::TempDir dir;
  make_images(dir);
  const std::string report = dir.file("report");
  REQUIRE(run_tiny("filter-dataset --allow-failures -q " + dir.file("src") + " --report " + report).exit_code == 0);
  REQUIRE(fs::exists(report + "/group-00000.jpg"));
  const std::string kept = read_text_file(report + "/kept.txt");

  // A second run, whose report would have no duplicate group: refused before any work, report untouched.
  auto again = run_tiny("filter-dataset --allow-failures -q " + dir.file("src") + " --threshold 0 --hash phash256 --report " + report + "/");
  CHECK(again.exit_code == 1);
  CHECK(again.err == "tiny: error: " + report + "/: already exists and is not empty (use --force to replace it whole)\n");
  CHECK(fs::exists(report + "/group-00000.jpg"));
  CHECK(read_text_file(report + "/kept.txt") == kept);

  // With --force the folder holds the new run's report only: no contact sheet of the earlier run is left.
  write_file_atomic(report + "/notes.txt", std::string_view("mine"), false);
  auto forced = run_tiny("filter-dataset --allow-failures --json " + dir.file("src") + " --threshold 0 --hash phash256 --force --report " +
                         report + "/");
  REQUIRE(forced.exit_code == 0);
  REQUIRE(parse_json(forced.out, "stdout")["groups"].empty());
  CHECK(!fs::exists(report + "/group-00000.jpg"));
  CHECK(!fs::exists(report + "/notes.txt"));
  CHECK(fs::exists(report + "/index.html"));
  CHECK(read_text_file(report + "/kept.txt") != kept);
  for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string()[0] != '.');

  // An empty folder is a fine destination; a file is not.
  fs::create_directories(dir.file("empty"));
  CHECK(run_tiny("filter-dataset --allow-failures -q " + dir.file("src") + " --report " + dir.file("empty")).exit_code == 0);
  CHECK(fs::exists(dir.file("empty/index.html")));
  auto file = run_tiny("filter-dataset --allow-failures -q " + dir.file("src") + " --force --report " + dir.file("src/a.png"));
  CHECK(file.exit_code == 1);
  CHECK(file.err.find("exists and is not a folder") != std::string::npos);
}

TEST_CASE("tiny filter-dataset moves only the kept files and leaves the rest in place") {
  test::TempDir dir;
  make_images(dir);
  auto r = run_tiny("filter-dataset --allow-failures " + dir.file("src") + " -o " + dir.file("out") + " --action move --keep first");
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(dir.file("out/a.png")));
  CHECK(fs::exists(dir.file("out/b.png")));
  CHECK(!fs::exists(dir.file("src/a.png")));
  CHECK(fs::exists(dir.file("src/sub/a_small.jpg")));
  CHECK(!fs::exists(dir.file("out/sub/a_small.jpg")));
}

TEST_CASE("tiny filter-dataset rejects bad options and sources with one-line errors") {
  test::TempDir dir;
  make_images(dir);
  CHECK(run_tiny("filter-dataset --allow-failures " + dir.file("missing")).exit_code == 1);
  auto bad_hash = run_tiny("filter-dataset --allow-failures " + dir.file("src") + " --hash md5");
  CHECK(bad_hash.exit_code == 2);
  CHECK(bad_hash.err.find("unknown hash 'md5'") != std::string::npos);
  CHECK(run_tiny("filter-dataset --allow-failures " + dir.file("src") + " --action copy").exit_code == 2);
  CHECK(run_tiny("filter-dataset --allow-failures " + dir.file("src") + " --threshold 256").exit_code == 2);
  CHECK(run_tiny("filter-dataset --allow-failures " + dir.file("src") + " --hash phash --threshold 64").exit_code == 2);
  CHECK(run_tiny("filter-dataset --allow-failures " + dir.file("src") + " --formats jpeg,gif").exit_code == 2);
  auto small = run_tiny("filter-dataset --allow-failures --json " + dir.file("src") + " --min-side 300 --formats png");
  REQUIRE(small.exit_code == 0);
  CHECK(parse_json(small.out, "stdout")["summary"]["filtered"] == 3);
}

TEST_CASE("tiny bench hash and bench dedup --quick report both sides and the ratio") {
  test::TempDir dir;
  image::write_image(dir.file("p.png"), test::blocks_image(256, 192, 5), false);
  auto h = run_tiny("bench hash --quick --json --images " + dir.file(""));
  REQUIRE(h.exit_code == 0);
  Json jh = parse_json(h.out, "stdout");
  CHECK(jh["images"] == 2);
  CHECK(jh["speedup"].get<double>() > 0);
  CHECK(jh["max_hash_distance_to_baseline"].get<int>() <= 8);
  auto d = run_tiny("bench dedup --quick --json");
  REQUIRE(d.exit_code == 0);
  CHECK(parse_json(d.out, "stdout")["sample_exact"] == true);
}

TEST_CASE("tiny filter-dataset --cache re-uses hashes on a re-run and survives a corrupt cache") {
  test::TempDir dir;
  make_images(dir);
  std::string args = "filter-dataset --allow-failures --json " + dir.file("src") + " --cache " + dir.file("c.bin");
  auto first = run_tiny(args);
  REQUIRE(first.exit_code == 0);
  CHECK(parse_json(first.out, "stdout")["summary"]["from_cache"] == 0);
  auto second = run_tiny(args);
  REQUIRE(second.exit_code == 0);
  Json j = parse_json(second.out, "stdout");
  CHECK(j["summary"]["from_cache"] == 3);
  CHECK(j["kept"] == parse_json(first.out, "stdout")["kept"]);
  write_file_atomic(dir.file("c.bin"), std::string_view("garbage"), true);
  auto third = run_tiny(args);
  CHECK(third.exit_code == 0);
  CHECK(third.err.find("c.bin: not a tiny hash cache") != std::string::npos);
}

TEST_CASE("tiny bench dedup-quality scores hashes on a folder of photos and rejects a missing one") {
  test::TempDir dir;
  for (unsigned s = 1; s <= 3; ++s)
    image::write_image(dir.file("p" + std::to_string(s) + ".png"), test::blocks_image(200, 150, s * 5), false);
  auto r = run_tiny("bench dedup-quality --json --split all --photos " + dir.file("") + " --csv " + dir.file("c.csv"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["photos"] == 3);
  CHECK(j["kinds"].contains("phash256"));
  CHECK(j["kinds"]["views"]["thresholds"].size() == 129);
  CHECK(read_text_file(dir.file("c.csv")).find("views,51,") != std::string::npos);
  CHECK(run_tiny("bench dedup-quality --split odd --photos " + dir.file("")).exit_code == 2);
  CHECK(run_tiny("bench dedup-quality --photos " + dir.file("none")).exit_code == 2);
}

TEST_CASE("tiny filter-dataset --action move killed mid-run loses no file") {
  test::TempDir dir;
  fs::create_directories(dir.path() / "src");
  const int n = 120;
  for (int i = 0; i < n; ++i)
    image::write_image(dir.file(fmt::format("src/f{:03d}.png", i)), test::blocks_image(48, 32, unsigned(i) * 7 + 1), false);
  std::vector<std::string> originals;
  for (int i = 0; i < n; ++i) originals.push_back(read_text_file(dir.file(fmt::format("src/f{:03d}.png", i))));
  // A destination on another filesystem (when /dev/shm is one) exercises copy + fsync + unlink.
  std::string out = fs::is_directory("/dev/shm") ? fmt::format("/dev/shm/tiny-move-test-{}", ::getpid()) : dir.file("out");
  for (const char* delay : {"0.15", "0.4", "5"}) {
    fs::remove_all(out);
    std::string cmd = fmt::format("timeout -s KILL {} '{}' filter-dataset '{}' -o '{}' --action move --threshold 0 "
                                  ">/dev/null 2>&1",
                                  delay, TINY_EXE, dir.file("src"), out);
    CHECK(std::system(cmd.c_str()) != -1);
    for (int i = 0; i < n; ++i) {
      std::string name = fmt::format("f{:03d}.png", i);
      bool in_src = fs::exists(dir.file("src/" + name)), in_out = fs::exists(out + "/" + name);
      CHECK_MESSAGE((in_src || in_out), name);
      if (in_out) CHECK(read_text_file(out + "/" + name) == originals[i]);
      // Put the file back for the next round.
      if (in_out && !in_src) fs::copy_file(out + "/" + name, dir.file("src/" + name));
    }
  }
  fs::remove_all(out);
}

TEST_CASE("tiny filter-dataset --reference keeps the reference folder and removes what duplicates it; "
          "--fail-on-duplicates exits 3") {
  test::TempDir dir;
  make_images(dir);
  fs::create_directories(dir.path() / "ref");
  fs::copy_file(dir.file("src/b.png"), dir.file("ref/b_curated.png"));
  auto r = run_tiny("filter-dataset --json " + dir.file("src") + " --reference " + dir.file("ref") +
                    " --fail-on-duplicates");
  CHECK(r.exit_code == 3);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["summary"]["references"] == 1);
  CHECK(j["summary"]["duplicates"] == 2);
  CHECK(j["references"][0] == dir.file("ref/b_curated.png"));
  bool b_removed = false;
  for (const auto& x : j["removed"])
    b_removed = b_removed || (x["path"] == dir.file("src/b.png") &&
                              x["reason"].get<std::string>().find("duplicate of reference") != std::string::npos);
  CHECK(b_removed);
  for (const auto& k : j["kept"]) CHECK(k.get<std::string>().find("/ref/") == std::string::npos);

  // Nothing duplicated: exit 0 even with --fail-on-duplicates.
  auto clean = run_tiny("filter-dataset -q " + dir.file("ref") + " --fail-on-duplicates");
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.empty());
  // --flips needs the views; a missing reference folder is an error naming it.
  CHECK(run_tiny("filter-dataset -q " + dir.file("src") + " --hash phash --flips").exit_code == 2);
  auto missing = run_tiny("filter-dataset -q " + dir.file("src") + " --reference " + dir.file("nope"));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("nope") != std::string::npos);
}
