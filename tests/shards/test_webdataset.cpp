#include "core/error.hpp"
#include "shard_fixtures.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <archive_entry.h>
#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using namespace tiny::shards;
using test::raw_tar;

namespace {

Bytes text_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

TEST_CASE("webdataset: written shards read back sample by sample, in order") {
  test::TempDir dir;
  std::string path = dir.file("00000.tar");
  {
    ShardWriter w(path, false);
    for (int i = 0; i < 3; ++i) {
      Sample s;
      s.key = "00000000" + std::to_string(i);
      s.files["jpg"] = Bytes(1000 + i, uint8_t(i));
      s.files["txt"] = text_bytes("caption " + std::to_string(i));
      s.files["json"] = text_bytes("{}");
      w.add(s);
    }
    CHECK(!std::filesystem::exists(path));
    w.commit();
  }
  REQUIRE(std::filesystem::exists(path));
  std::vector<Sample> got;
  TarReport r = read_shard(path, [&](Sample&& s) { got.push_back(std::move(s)); });
  CHECK(r.members == 9);
  CHECK(r.rejected == 0);
  REQUIRE(got.size() == 3);
  CHECK(got[2].key == "000000002");
  CHECK(got[2].files["jpg"].size() == 1002);
  CHECK(got[1].files["txt"] == text_bytes("caption 1"));
}

TEST_CASE("webdataset: an uncommitted shard leaves nothing behind") {
  test::TempDir dir;
  {
    ShardWriter w(dir.file("00001.tar"), false);
    Sample s{"k", {{"txt", text_bytes("x")}}};
    w.add(s);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
  write_file_atomic(dir.file("00002.tar"), std::string_view("x"), false);
  CHECK_THROWS_AS(ShardWriter(dir.file("00002.tar"), false), Error);
}

TEST_CASE("webdataset: a shard series starts a new shard every N samples and commits the last part") {
  test::TempDir dir;
  std::vector<std::string> paths;
  {
    ShardSeries series([&](size_t i) { return dir.file("s" + std::to_string(i) + ".tar"); }, 2, false);
    for (int i = 0; i < 5; ++i) paths.push_back(series.add(Sample{"k" + std::to_string(i), {{"txt", text_bytes("x")}}}));
    CHECK(std::filesystem::exists(dir.file("s1.tar")));
    CHECK_FALSE(std::filesystem::exists(dir.file("s2.tar")));  // still being written
    series.commit();
  }
  CHECK(paths == std::vector<std::string>{dir.file("s0.tar"), dir.file("s0.tar"), dir.file("s1.tar"),
                                          dir.file("s1.tar"), dir.file("s2.tar")});
  size_t samples = 0;
  for (int i = 0; i < 3; ++i)
    samples += read_shard(dir.file("s" + std::to_string(i) + ".tar"), [](Sample&&) {}).samples;
  CHECK(samples == 5);
  CHECK_THROWS_AS(ShardSeries([](size_t) { return std::string("x.tar"); }, 0, false), Error);
}

TEST_CASE("webdataset: hostile members are refused in memory and reported, good ones kept") {
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, "AAAA"},
                       {"/etc/passwd.txt", AE_IFREG, "root"},
                       {"../../evil.jpg", AE_IFREG, "x"},
                       {"d/../../x.jpg", AE_IFREG, "x"},
                       {"link.jpg", AE_IFLNK, "", "/etc/shadow"},
                       {"hard.jpg", AE_IFREG, "", "a.jpg", true},
                       {"dev.jpg", AE_IFCHR, ""},
                       {"fifo.jpg", AE_IFIFO, ""},
                       {"noext", AE_IFREG, "x"},
                       {"dir/", AE_IFDIR, ""},
                       {"a.txt", AE_IFREG, "cap"},
                       {"big.jpg", AE_IFREG, std::string(3000, 'b')},
                       {"b.jpg", AE_IFREG, "BB"}});
  std::vector<Sample> got;
  ReadLimits limits;
  limits.max_member_bytes = 2048;
  TarReport r = read_shard(tar.data(), tar.size(), "hostile.tar", [&](Sample&& s) { got.push_back(std::move(s)); },
                           limits);
  CHECK(r.rejected == 9);
  CHECK(r.problems.size() == 9);
  REQUIRE(got.size() == 2);
  CHECK(got[0].key == "a");
  CHECK(got[0].files.size() == 2);
  CHECK(got[1].key == "b");
  bool saw_abs = false, saw_dots = false, saw_link = false;
  for (const auto& p : r.problems) {
    saw_abs |= p.find("absolute path") != std::string::npos;
    saw_dots |= p.find("'..'") != std::string::npos;
    saw_link |= p.find("symbolic link") != std::string::npos;
  }
  CHECK(saw_abs);
  CHECK(saw_dots);
  CHECK(saw_link);
}

TEST_CASE("webdataset: a sample's members are capped in total, too") {
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, std::string(600, 'a')},
                       {"a.png", AE_IFREG, std::string(600, 'b')},
                       {"a.txt", AE_IFREG, "cap"},
                       {"b.jpg", AE_IFREG, std::string(900, 'c')}});
  ReadLimits limits;
  limits.max_sample_bytes = 1000;
  std::vector<Sample> got;
  TarReport r = read_shard(tar.data(), tar.size(), "cap.tar", [&](Sample&& s) { got.push_back(std::move(s)); }, limits);
  CHECK(r.rejected == 1);
  REQUIRE(got.size() == 2);
  CHECK(got[0].files.size() == 2);
  CHECK(got[0].files.count("png") == 0);
  CHECK(got[1].files.size() == 1);
}

TEST_CASE("webdataset: corrupt and truncated archives fail with the origin named") {
  Bytes junk(2000, 0x41);
  CHECK_THROWS_WITH_AS(read_shard(junk.data(), junk.size(), "junk.tar", [](Sample&&) {}), doctest::Contains("junk.tar"),
                       Error);
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, std::string(5000, 'a')}});
  Bytes cut(tar.begin(), tar.begin() + 1500);
  CHECK_THROWS_WITH_AS(read_shard(cut.data(), cut.size(), "cut.tar", [](Sample&&) {}), doctest::Contains("cut.tar"),
                       Error);
  CHECK_THROWS_AS(read_shard("/nonexistent/x.tar", [](Sample&&) {}), Error);
}

TEST_CASE("webdataset: keys split at the first dot of the last component") {
  std::string key, ext;
  CHECK(split_key("dir.v1/000001.seg.png", key, ext));
  CHECK(key == "dir.v1/000001");
  CHECK(ext == "seg.png");
  CHECK(!split_key("dir/noext", key, ext));
  CHECK(!split_key(".hidden", key, ext));
  CHECK(unsafe_path_reason("a/b.jpg").empty());
  CHECK(unsafe_path_reason("a/..b.jpg").empty());
  CHECK(!unsafe_path_reason("a/../b.jpg").empty());
  CHECK(!unsafe_path_reason("..").empty());
}

TEST_CASE("webdataset: a damaged archive gives every sample read whole before the damage, then fails") {
  for (bool gzip : {false, true}) {
    Bytes tar = raw_tar({{"a.jpg", AE_IFREG, std::string(700, 'a')},
                         {"a.txt", AE_IFREG, "cap"},
                         {"b.jpg", AE_IFREG, std::string(700, 'b')},
                         {"c.jpg", AE_IFREG, std::string(20000, 'c')}},
                        gzip);
    Bytes cut(tar.begin(), tar.begin() + long(tar.size()) * 2 / 3);
    if (gzip) cut.resize(60);  // inside the deflate stream of c.jpg's member
    std::vector<std::string> keys;
    CHECK_THROWS_WITH_AS(read_shard(cut.data(), cut.size(), "cut.tar", [&](Sample&& s) { keys.push_back(s.key); }),
                         doctest::Contains("cut.tar"), Error);
    if (!gzip) CHECK(keys == std::vector<std::string>{"a", "b"});
  }
}

TEST_CASE("webdataset: the reader pulls one sample at a time, so a sample comes before later damage is seen") {
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, "AAAA"}, {"b.jpg", AE_IFREG, "BBBB"}});
  Bytes junk(4096, 0x41);  // not a tar header: the archive is corrupt after b
  tar.insert(tar.begin() + 2048, junk.begin(), junk.end());
  ShardReader reader(tar.data(), tar.size(), "pull.tar");
  Sample s;
  REQUIRE(reader.next(s));
  CHECK(s.key == "a");
  CHECK(reader.report().members == 2);  // b's header ended sample a; the damage after b is not read yet
  REQUIRE(reader.next(s));
  CHECK(s.key == "b");
  CHECK_THROWS_WITH_AS(reader.next(s), doctest::Contains("pull.tar"), Error);
  CHECK(!reader.next(s));  // the damage is reported once
}

TEST_CASE("webdataset: control characters of refused member names are escaped in the report") {
  Bytes tar = raw_tar({{"bad\x1b[31mname.jpg", AE_IFREG, "x"}, {"ok.jpg", AE_IFREG, "y"}});
  TarReport r = read_shard(tar.data(), tar.size(), "esc.tar", [](Sample&&) {});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find('\x1b') == std::string::npos);
  CHECK(r.problems[0].find("\\x1b[31m") != std::string::npos);
}
