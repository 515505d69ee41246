// Members indexed in place and read back with one pread each: offsets survive long (pax) names,
// hostile members are refused, compressed and changed shards are errors naming the file, a cut one stops early.
#include "core/error.hpp"
#include "shard_fixtures.hpp"
#include "shards/member_index.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <archive_entry.h>
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

using namespace tiny;
using namespace tiny::shards;
using test::raw_tar;

TEST_CASE("member index: every member's bytes are read back exactly, long names included") {
  test::TempDir dir;
  std::string path = dir.file("00000.tar");
  std::string long_dir(150, 'd');
  std::vector<std::pair<std::string, Bytes>> written;
  {
    ShardWriter w(path, false);
    for (int i = 0; i < 4; ++i) {
      Sample s;
      s.key = (i == 2 ? long_dir + "/" : "") + "00000" + std::to_string(i);
      s.files["jpg"] = Bytes(700 + 513 * i, uint8_t(i + 1));
      s.files["txt"] = Bytes(i, uint8_t('a' + i));
      w.add(s);
      for (const auto& [ext, bytes] : s.files) written.push_back({s.key + "." + ext, bytes});
    }
    w.commit();
  }
  ShardIndex index = index_shard(path);
  CHECK(index.refused.empty());
  REQUIRE(index.members.size() == written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    const MemberRef& m = index.members[i];
    CHECK(m.name == written[i].first);
    CHECK(m.size == written[i].second.size());
    CHECK(read_member(m) == written[i].second);
  }
  CHECK(member_path(index.members[0]) == path + "/000000.jpg");
  CHECK(index.members[0].shard_size == std::filesystem::file_size(path));
}

TEST_CASE("member index: hostile members are refused and never read, good ones indexed") {
  test::TempDir dir;
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, "AAAA"},
                       {"/etc/passwd.jpg", AE_IFREG, "root"},
                       {"../../evil.jpg", AE_IFREG, "x"},
                       {"link.jpg", AE_IFLNK, "", "/etc/shadow"},
                       {"hard.jpg", AE_IFREG, "", "a.jpg", true},
                       {"dev.jpg", AE_IFCHR, ""},
                       {"dir/", AE_IFDIR, ""},
                       {"b.txt", AE_IFREG, "BB"}});
  write_file_atomic(dir.file("h.tar"), tar, false);
  ShardIndex index = index_shard(dir.file("h.tar"));
  REQUIRE(index.members.size() == 2);
  CHECK(read_member(index.members[0]) == Bytes{'A', 'A', 'A', 'A'});
  CHECK(read_member(index.members[1]) == Bytes{'B', 'B'});
  REQUIRE(index.refused.size() == 5);
  CHECK(index.refused[0].reason == "absolute path");
  CHECK(index.refused[1].reason == "'..' component");
  CHECK(index.refused[2].reason == "symbolic link");
  CHECK(index.refused[3].reason == "hard link");
  CHECK(index.refused[4].reason == "device");
}

TEST_CASE("member index: compressed, junk and missing shards are errors naming the file; a cut one stops early") {
  test::TempDir dir;
  write_file_atomic(dir.file("c.tar"), raw_tar({{"a.jpg", AE_IFREG, "AAAA"}}, true), false);
  CHECK_THROWS_WITH_AS(index_shard(dir.file("c.tar")), doctest::Contains("c.tar: compressed shards"), Error);
  write_file_atomic(dir.file("junk.tar"), Bytes(2000, 0x41), false);
  CHECK_THROWS_WITH_AS(index_shard(dir.file("junk.tar")), doctest::Contains("junk.tar"), Error);
  Bytes tar = raw_tar({{"a.jpg", AE_IFREG, std::string(5000, 'a')}, {"b.jpg", AE_IFREG, "b"}});
  write_file_atomic(dir.file("cut.tar"), Bytes(tar.begin(), tar.begin() + 3000), false);
  ShardIndex cut = index_shard(dir.file("cut.tar"));
  CHECK(!cut.error.empty());
  REQUIRE(cut.members.size() == 1);
  CHECK_THROWS_WITH_AS(read_member(cut.members[0]), doctest::Contains("cut.tar/a.jpg: truncated member"), Error);
  CHECK_THROWS_WITH_AS(index_shard(dir.file("none.tar")), doctest::Contains("none.tar: cannot open"), Error);
}

TEST_CASE("member index: a shard changed after indexing is an error, not stale bytes") {
  test::TempDir dir;
  write_file_atomic(dir.file("s.tar"), raw_tar({{"a.jpg", AE_IFREG, "AAAA"}}), false);
  ShardIndex index = index_shard(dir.file("s.tar"));
  REQUIRE(index.members.size() == 1);
  write_file_atomic(dir.file("s.tar"), raw_tar({{"a.jpg", AE_IFREG, std::string(20000, 'B')}}), true);
  CHECK_THROWS_WITH_AS(read_member(index.members[0]), doctest::Contains("s.tar/a.jpg: the shard changed"), Error);
  // Same size, other modification time.
  write_file_atomic(dir.file("t.tar"), raw_tar({{"a.jpg", AE_IFREG, "AAAA"}}), false);
  index = index_shard(dir.file("t.tar"));
  std::filesystem::last_write_time(dir.file("t.tar"), std::filesystem::last_write_time(dir.file("t.tar")) - std::chrono::seconds(5));
  CHECK_THROWS_AS(read_member(index.members[0]), Error);
}
