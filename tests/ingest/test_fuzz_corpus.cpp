// Replays the ingest fuzz corpus (tests/fuzz/corpus_ingest) and the parser corpora (corpus_shard,
// corpus_zip, corpus_image, corpus_hash_cache, corpus_http) through their fuzz targets' entry points,
// with truncations and bit flips, so they run in every build without clang/libFuzzer.
#include "../fuzz/fuzz_ingest_entry.hpp"
#include "../fuzz/fuzz_parsers_entry.hpp"
#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

namespace {

using Entry = void (*)(const uint8_t*, size_t);

// Runs every file of tests/fuzz/`corpus`, each truncation at a stride and a bit flip per few bytes
// through `entry`; returns the number of files.
size_t replay(const std::string& corpus, Entry entry, size_t stride) {
  std::filesystem::path dir = std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz" / corpus;
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    CAPTURE(e.path().string());
    Bytes data = read_file(e.path().string());
    CHECK_NOTHROW(entry(data.data(), data.size()));
    for (size_t n = 0; n < data.size(); n += stride) CHECK_NOTHROW(entry(data.data(), n));
    for (size_t b = 0; b < std::min<size_t>(data.size(), 2048); b += 5) {
      Bytes flipped = data;
      flipped[b] ^= uint8_t(1u << (b % 8));
      CHECK_NOTHROW(entry(flipped.data(), flipped.size()));
    }
    ++files;
  }
  return files;
}

}  // namespace

TEST_CASE("ingest fuzz corpus replays through the fuzz entry point without crashing") {
  CHECK(replay("corpus_ingest", fuzz::fuzz_ingest_one, 97) >= 5);
}

TEST_CASE("parser fuzz corpora replay through their entry points without crashing") {
  CHECK(replay("corpus_shard", fuzz::fuzz_shard_one, 7) >= 5);
  CHECK(replay("corpus_zip", fuzz::fuzz_zip_one, 3) >= 3);
  CHECK(replay("corpus_image", fuzz::fuzz_image_one, 3) >= 9);
  CHECK(replay("corpus_hash_cache", fuzz::fuzz_hash_cache_one, 5) >= 2);
  CHECK(replay("corpus_http", fuzz::fuzz_http_one, 11) >= 1);
}
