// Replays the ingest fuzz corpus (tests/fuzz/corpus_ingest) and the parser corpora (corpus_shard,
// corpus_zip, corpus_image, corpus_hash_cache, corpus_http) through their fuzz targets' entry points,
// with truncations and bit flips, so they run in every build without clang/libFuzzer.
#include "../fuzz/fuzz_ingest_entry.hpp"
#include "../fuzz/fuzz_parsers_entry.hpp"
#include "fuzz_replay.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using test::replay_corpus;

TEST_CASE("ingest fuzz corpus replays through the fuzz entry point without crashing") {
  CHECK(replay_corpus("corpus_ingest", fuzz::fuzz_ingest_one, 97, 5) >= 5);
}

TEST_CASE("parser fuzz corpora replay through their entry points without crashing") {
  CHECK(replay_corpus("corpus_shard", fuzz::fuzz_shard_one, 7, 5) >= 5);
  CHECK(replay_corpus("corpus_zip", fuzz::fuzz_zip_one, 3, 5) >= 3);
  CHECK(replay_corpus("corpus_image", fuzz::fuzz_image_one, 3, 5) >= 9);
  CHECK(replay_corpus("corpus_hash_cache", fuzz::fuzz_hash_cache_one, 5, 5) >= 2);
  CHECK(replay_corpus("corpus_http", fuzz::fuzz_http_one, 11, 5) >= 1);
}
