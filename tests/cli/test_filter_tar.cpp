// tiny filter-dataset on WebDataset tar shards: members read in place, hostile members reported and
// never written, kept members listed, copied out, written to shards, and refused for move.
#include "../dataset/dataset_fixtures.hpp"
#include "../shards/shard_fixtures.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <archive_entry.h>
#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using test::run_tiny;
namespace fs = std::filesystem;

namespace {

Bytes png(unsigned seed) { return image::encode_image(test::blocks_image(120, 90, seed), image::Format::png); }

// dir/s-0.tar: 0001 (picture 1 and a caption), 0002 (an exact copy of picture 1), a member escaping
// with '..'; dir/s-1.tar: 0003 (picture 2).
void make_shards(const test::TempDir& dir) {
  shards::ShardWriter w0(dir.file("s-0.tar"), false);
  w0.add({"0001", {{"png", png(1)}, {"txt", Bytes{'c', 'a', 'p'}}}});
  w0.add({"0002", {{"png", png(1)}}});
  w0.add({"../evil", {{"png", png(3)}}});
  w0.commit();
  shards::ShardWriter w1(dir.file("s-1.tar"), false);
  w1.add({"0003", {{"png", png(2)}}});
  w1.commit();
}

std::string pattern(const test::TempDir& dir) { return "'" + dir.file("s-{0..1}.tar") + "'"; }

}  // namespace

TEST_CASE("tiny filter-dataset reads tar members in place, reports hostile ones and draws their contact sheets") {
  test::TempDir dir;
  make_shards(dir);
  auto r = run_tiny("filter-dataset --json " + pattern(dir) + " --report " + dir.file("report"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  CHECK(j["summary"]["files"] == 3);
  CHECK(j["kept"] == Json::array({dir.file("s-0.tar/0001.png"), dir.file("s-1.tar/0003.png")}));
  CHECK(j["removed"][0]["reason"] == "exact duplicate of " + dir.file("s-0.tar/0001.png"));
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["path"] == dir.file("s-0.tar/../evil.png"));
  CHECK(j["problems"][0]["reason"] == "'..' component");
  CHECK(r.err.find("skipped " + dir.file("s-0.tar/../evil.png")) != std::string::npos);
  CHECK(fs::exists(dir.file("report/group-00000.jpg")));
  CHECK(!fs::exists(dir.file("evil.png")));
  auto cached = run_tiny("filter-dataset --json " + pattern(dir) + " --cache " + dir.file("c.bin"));
  auto again = run_tiny("filter-dataset --json " + pattern(dir) + " --cache " + dir.file("c.bin"));
  REQUIRE(again.exit_code == 0);
  CHECK(parse_json(again.out, "stdout")["summary"]["from_cache"] == 3);
}

TEST_CASE("tiny filter-dataset writes kept tar members to shards or copies them out; move is refused") {
  test::TempDir dir;
  make_shards(dir);
  auto shards_run = run_tiny("filter-dataset " + pattern(dir) + " -o " + dir.file("out") + " --action shards");
  REQUIRE(shards_run.exit_code == 0);
  std::vector<shards::Sample> got;
  shards::read_shard(dir.file("out/00000.tar"), [&](shards::Sample&& s) { got.push_back(std::move(s)); });
  REQUIRE(got.size() == 2);
  CHECK(got[0].files["png"] == png(1));
  CHECK(got[0].files["txt"] == Bytes{'c', 'a', 'p'});
  CHECK(got[1].files["png"] == png(2));

  auto copy = run_tiny("filter-dataset " + pattern(dir) + " -o " + dir.file("copied") + " --action copy");
  REQUIRE(copy.exit_code == 0);
  CHECK(read_file(dir.file("copied/s-0/0001.png")) == png(1));
  CHECK(read_file(dir.file("copied/s-1/0003.png")) == png(2));
  CHECK(!fs::exists(dir.file("copied/s-0/0002.png")));
  CHECK(!fs::exists(dir.file("copied/evil.png")));

  auto move = run_tiny("filter-dataset " + pattern(dir) + " -o " + dir.file("moved") + " --action move");
  CHECK(move.exit_code == 2);
  CHECK(move.err.find("a tar member cannot be placed with action move") != std::string::npos);
  CHECK(!fs::exists(dir.file("moved")));
  write_file_atomic(dir.file("z.tar"), test::raw_tar({{"a.png", AE_IFREG, "x"}}, true), false);
  auto compressed = run_tiny("filter-dataset " + dir.file("z.tar"));
  CHECK(compressed.exit_code == 1);
  CHECK(compressed.err.find("z.tar: compressed shards cannot be read in place") != std::string::npos);
}
