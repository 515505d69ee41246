// Tar shards as sources: members listed and analysed in place, hostile members reported, the cache
// keyed by member, copies written out of the shard, shards written with the sample's other members.
#include "../shards/shard_fixtures.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"
#include "dataset/actions.hpp"
#include "dataset/analyze.hpp"
#include "dataset/report.hpp"
#include "dataset/report_html.hpp"
#include "dataset/select.hpp"
#include "dataset/shard_output.hpp"
#include "dataset/sources.hpp"
#include "dataset_fixtures.hpp"
#include "image/encode.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <archive_entry.h>
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

using namespace tiny;
using namespace tiny::dataset;
namespace fs = std::filesystem;

namespace {

std::string png(unsigned seed) {
  Bytes b = image::encode_image(test::blocks_image(96, 64, seed), image::Format::png);
  return std::string(b.begin(), b.end());
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A shard with two pictures (the first with a caption and a JSON object), a symbolic link and a
// member escaping with '..'; returns its path.
std::string make_shard(const test::TempDir& dir, const std::string& name) {
  write_file_atomic(dir.file(name),
                    test::raw_tar({{"0001.png", AE_IFREG, png(1)},
                                   {"0001.txt", AE_IFREG, "a caption"},
                                   {"0001.json", AE_IFREG, "{\"w\": 1}"},
                                   {"0002.png", AE_IFREG, png(2)},
                                   {"evil.png", AE_IFLNK, "", "/etc/passwd"},
                                   {"../up.png", AE_IFREG, png(3)}}),
                    false);
  return dir.file(name);
}

}  // namespace

TEST_CASE("tar sources: image members listed in place as shard/member, hostile members reported") {
  test::TempDir dir;
  std::string shard = make_shard(dir, "s-0.tar");
  make_shard(dir, "s-1.tar");
  SourceListing l = list_sources({dir.file("s-{0..1}.tar")});
  REQUIRE(l.files.size() == 4);
  CHECK(l.files[0].path == shard + "/0001.png");
  CHECK(l.files[0].relative == "s-0/0001.png");
  CHECK(l.files[0].member.has_value());
  CHECK(l.files[3].path == dir.file("s-1.tar/0002.png"));
  CHECK(read_source(l.files[1]) == bytes_of(png(2)));
  REQUIRE(l.problems.size() == 4);
  CHECK(l.problems[0].path == shard + "/evil.png");
  CHECK(l.problems[0].reason == "symbolic link");
  CHECK(l.problems[1].reason == "'..' component");
  CHECK_THROWS_WITH_AS(list_sources({dir.file("s-{0..2}.tar")}), doctest::Contains("s-2.tar"), Error);
  write_file_atomic(dir.file("c.tar"), test::raw_tar({{"a.png", AE_IFREG, png(1)}}, true), false);
  CHECK_THROWS_WITH_AS(list_sources({dir.file("c.tar")}), doctest::Contains("compressed"), Error);
}

TEST_CASE("tar sources: members hash like the same files and come from the cache while the shard is unchanged") {
  test::TempDir dir;
  std::string shard = make_shard(dir, "s.tar");
  write_file_atomic(dir.file("a.png"), png(1), false);
  std::vector<SourceFile> files = list_sources({shard, dir.file("a.png")}).files;
  REQUIRE(files.size() == 3);
  std::vector<FileRecord> records = analyze_files(files, AnalyzeOptions{});
  REQUIRE(records[0].error.empty());
  CHECK(records[0].info.width == 96);
  CHECK(records[0].content == records[2].content);
  CHECK(records[0].hash == records[2].hash);
  Selection s = select_files(records, {HashKind::phash, 10}, KeepPolicy::first);
  REQUIRE(s.removed.size() == 1);
  CHECK(s.removed[0].reason == "exact duplicate of " + shard + "/0001.png");

  HashCache cache(HashKind::views);
  for (const auto& r : records) cache.put(r.file.path, {r.size, r.mtime_ns, r.content, r.hash, r.signature});
  AnalyzeOptions o;
  o.cache = &cache;
  std::vector<FileRecord> again = analyze_files(files, o);
  CHECK(again[0].from_cache);
  CHECK(again[1].from_cache);
  CHECK(again[0].hash == records[0].hash);
  CHECK(again[0].signature == records[0].signature);
  fs::last_write_time(shard, fs::last_write_time(shard) + std::chrono::seconds(5));
  CHECK(!analyze_files(list_sources({shard}).files, o)[0].from_cache);
}

TEST_CASE("tar sources: copy writes the member's bytes out of the shard; move, hardlink and symlink are refused") {
  test::TempDir dir;
  std::vector<SourceFile> files = list_sources({make_shard(dir, "s.tar")}).files;
  place_files(files, dir.file("out"), Action::copy);
  CHECK(read_file(dir.file("out/s/0001.png")) == bytes_of(png(1)));
  CHECK(read_file(dir.file("out/s/0002.png")) == bytes_of(png(2)));
  for (Action a : {Action::move, Action::hardlink, Action::symlink}) {
    CHECK_THROWS_WITH_AS(place_files(files, dir.file("refused"), a), doctest::Contains("s.tar/0001.png: a tar member"),
                         UsageError);
    CHECK(!fs::exists(dir.file("refused")));
  }
  CHECK_NOTHROW(check_action(files, Action::shards));
  CHECK(fs::exists(dir.file("s.tar")));
}

TEST_CASE("tar sources: written shards carry the sample's other members and each image's source") {
  test::TempDir dir;
  std::string shard = make_shard(dir, "s.tar");
  write_file_atomic(dir.file("a.PNG"), png(3), false);
  std::vector<SourceFile> files = list_sources({shard, dir.file("a.PNG")}).files;
  write_shards(files, dir.file("out"), 2);
  std::vector<shards::Sample> got;
  for (const char* name : {"out/00000.tar", "out/00001.tar"})
    shards::read_shard(dir.file(name), [&](shards::Sample&& s) { got.push_back(std::move(s)); });
  REQUIRE(got.size() == 3);
  CHECK(got[0].key == "000000000");
  CHECK(got[0].files["png"] == bytes_of(png(1)));
  CHECK(got[0].files["txt"] == bytes_of("a caption"));
  Json meta = parse_json(std::string(got[0].files["json"].begin(), got[0].files["json"].end()), "json");
  CHECK(meta["w"] == 1);
  CHECK(meta["source"] == shard + "/0001.png");
  CHECK(got[1].files.size() == 2);
  CHECK(got[2].key == "000000002");
  CHECK(got[2].files["png"] == bytes_of(png(3)));
  CHECK(parse_json(std::string(got[2].files["json"].begin(), got[2].files["json"].end()), "json")["source"] ==
        dir.file("a.PNG"));
  CHECK_THROWS_WITH_AS(write_shards(files, dir.file("out"), 2), doctest::Contains("00000.tar: already exists"), Error);
}

TEST_CASE("tar sources: contact sheets draw members as they draw files") {
  test::TempDir dir;
  std::string shard = make_shard(dir, "s.tar");
  write_file_atomic(dir.file("a.png"), png(1), false);
  std::vector<SourceFile> files = list_sources({shard, dir.file("a.png")}).files;
  CHECK(contact_sheet({SheetTile{files[0]}}, 64).pixels == contact_sheet({SheetTile{files[2]}}, 64).pixels);
}
