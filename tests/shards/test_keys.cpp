#include "core/error.hpp"
#include "shards/keys.hpp"
#include "shards/webdataset.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using namespace tiny::shards;

TEST_CASE("keys: numbered and named keys hold no dot, and a shard read back keeps them whole") {
  CHECK(numbered_key(42) == "000000042");
  CHECK(shard_stem(42) == "00042");
  CHECK(shard_stem(7, "my.clip") == "my.clip-00007");
  CHECK(named_key("my.clip.v2", 6) == "my_clip_v2_000006");
  CHECK(named_key("a/b\\c", 1) == "a_b_c_000001");
  CHECK(key_error(named_key("my.clip.v2", 6)).empty());
  CHECK(key_error("dir.v1/000001").empty());  // a dot in a folder of the key is fine: the split is in the last part
  CHECK(!key_error("my.clip_000001").empty());
  CHECK(!key_error("").empty());
  CHECK(!key_error("dir/").empty());

  test::TempDir dir;
  std::string path = dir.file("s.tar");
  ShardWriter w(path, false);
  for (size_t i = 0; i < 3; ++i) w.add(Sample{named_key("my.clip.v2", i), {{"txt", Bytes{'x'}}}});
  w.commit();
  std::vector<std::string> keys;
  read_shard(path, [&](Sample&& s) { keys.push_back(s.key); });
  CHECK(keys == std::vector<std::string>{"my_clip_v2_000000", "my_clip_v2_000001", "my_clip_v2_000002"});
}

TEST_CASE("keys: the shard writer refuses a key with a dot, naming the shard") {
  test::TempDir dir;
  ShardWriter w(dir.file("s.tar"), false);
  try {
    w.add(Sample{"my.clip_000001", {{"txt", Bytes{'x'}}}});
    FAIL("a dotted key was written");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("s.tar") != std::string::npos);
    CHECK(std::string(e.what()).find("'.'") != std::string::npos);
  }
}
