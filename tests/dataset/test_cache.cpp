#include "core/error.hpp"
#include "core/file_io.hpp"
#include "dataset/analyze.hpp"
#include "dataset/content_hash.hpp"
#include "dataset/hash_cache.hpp"
#include "image/encode.hpp"
#include "dataset_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;
using namespace tiny::dataset;
namespace fs = std::filesystem;

TEST_CASE("filter-dataset hashes the views of a file exactly as encoded_signature does, quality filters or not") {
  test::TempDir dir;
  const Bytes jpeg = image::encode_image(test::blocks_image(900, 600, 5), image::Format::jpeg);
  write_file_atomic(dir.file("a.jpg"), jpeg, false);
  dataset::AnalyzeOptions a;
  a.hash = dataset::HashKind::views;
  for (bool mirror : {false, true}) {
    a.mirror = mirror;
    const auto expected = dataset::encoded_signature(jpeg, "a.jpg", mirror);
    a.filters.min_sharpness = 0;
    CHECK(dataset::analyze_file({dir.file("a.jpg"), "a.jpg"}, a).signature == expected);
    a.filters.min_sharpness = 1e-9;
    CHECK(dataset::analyze_file({dir.file("a.jpg"), "a.jpg"}, a).signature == expected);
  }
  CHECK_THROWS_WITH_AS(dataset::encoded_signature(Bytes{1, 2, 3}, "bad.jpg", false), doctest::Contains("bad.jpg"), Error);
}

TEST_CASE("the hash cache round-trips, matches on size and mtime, and keeps only its hash kind") {
  test::TempDir dir;
  HashCache c(HashKind::phash);
  CacheEntry e;
  e.size = 123;
  e.mtime_ns = 456;
  e.content = 789;
  e.hash.words[0] = 0xABCDEF;
  e.signature.views = {ViewHash{1, {2, 3, 4, 5}}, ViewHash{6, {7, 8, 9, 10}}};
  e.signature.colour[5] = 200;
  e.signature.mirror = true;
  c.put(dir.file("a.jpg"), e);
  c.save(dir.file("cache.bin"));
  HashCache back = HashCache::load(dir.file("cache.bin"), HashKind::phash);
  REQUIRE(back.size() == 1);
  const CacheEntry* f = back.find(dir.file("a.jpg"), 123, 456);
  REQUIRE(f != nullptr);
  CHECK(f->content == 789);
  CHECK(f->hash == e.hash);
  CHECK(f->signature == e.signature);
  CHECK(back.find(dir.file("a.jpg"), 124, 456) == nullptr);
  CHECK(back.find(dir.file("a.jpg"), 123, 457) == nullptr);
  CHECK(HashCache::load(dir.file("cache.bin"), HashKind::dhash).size() == 0);
  CHECK(HashCache::load(dir.file("none.bin"), HashKind::phash).size() == 0);
}

TEST_CASE("a corrupt or truncated hash cache is an error naming the file") {
  test::TempDir dir;
  HashCache c(HashKind::phash);
  c.put(dir.file("a.jpg"), CacheEntry{});
  c.save(dir.file("cache.bin"));
  Bytes b = read_file(dir.file("cache.bin"));
  Bytes flipped = b;
  flipped[20] ^= 1;
  write_file_atomic(dir.file("flipped.bin"), flipped, false);
  CHECK_THROWS_WITH_AS(HashCache::load(dir.file("flipped.bin"), HashKind::phash), doctest::Contains("checksum"), Error);
  write_file_atomic(dir.file("short.bin"), Bytes(b.begin(), b.begin() + 10), false);
  CHECK_THROWS_WITH_AS(HashCache::load(dir.file("short.bin"), HashKind::phash), doctest::Contains("short.bin"), Error);
}

TEST_CASE("analysis takes unchanged files from the cache and gives the same hashes") {
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::blocks_image(96, 64, 2), false);
  SourceFile f{dir.file("a.png"), "a.png"};
  FileRecord fresh = analyze_file(f, AnalyzeOptions{});
  HashCache c(HashKind::views);
  c.put(f.path, {fresh.size, fresh.mtime_ns, fresh.content, fresh.hash, fresh.signature});
  AnalyzeOptions o;
  o.cache = &c;
  FileRecord cached = analyze_file(f, o);
  CHECK(cached.from_cache);
  CHECK(cached.hash == fresh.hash);
  CHECK(cached.signature == fresh.signature);
  CHECK(cached.content == fresh.content);
  AnalyzeOptions mirrored = o;
  mirrored.mirror = true;
  CHECK(!analyze_file(f, mirrored).from_cache);  // the cached signature lacks the mirrored views
  image::write_image(dir.file("a.png"), test::blocks_image(96, 64, 3), true);
  fs::last_write_time(dir.file("a.png"), fs::last_write_time(dir.file("a.png")) + std::chrono::seconds(5));
  FileRecord changed = analyze_file(f, o);
  CHECK(!changed.from_cache);
  CHECK(!(changed.hash == fresh.hash));
}

TEST_CASE("a version-2 hash cache (views without colours) is read, and its signatures are hashed again") {
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::blocks_image(96, 64, 2), false);
  SourceFile f{dir.file("a.png"), "a.png"};
  FileRecord fresh = analyze_file(f, AnalyzeOptions{});
  REQUIRE(!fresh.signature.views.empty());
  std::string out = "TINYHCAC";
  auto put = [&](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += char((v >> (8 * i)) & 0xFF);
  };
  const std::string key = fs::absolute(f.path).lexically_normal().string();
  put(2, 4);  // version
  put(uint64_t(HashKind::views), 4);
  put(1, 8);
  put(key.size(), 4);
  out += key;
  put(fresh.size, 8);
  put(uint64_t(fresh.mtime_ns), 8);
  put(fresh.content, 8);
  for (uint64_t w : fresh.hash.words) put(w, 8);
  put(fresh.signature.views.size(), 4);
  for (const ViewHash& v : fresh.signature.views) {
    put(v.coarse, 8);
    for (uint64_t w : v.fine) put(w, 8);
  }
  put(content_hash(reinterpret_cast<const uint8_t*>(out.data()), out.size()), 8);
  write_file_atomic(dir.file("v2.bin"), out, false);
  HashCache old = HashCache::load(dir.file("v2.bin"), HashKind::views);
  REQUIRE(old.size() == 1);
  const CacheEntry* e = old.find(f.path, fresh.size, fresh.mtime_ns);
  REQUIRE(e != nullptr);
  CHECK(e->content == fresh.content);
  CHECK(e->signature.views.empty());
  AnalyzeOptions o;
  o.cache = &old;
  FileRecord again = analyze_file(f, o);
  CHECK(!again.from_cache);
  CHECK(again.signature == fresh.signature);
}
