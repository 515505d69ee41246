// Replays the full-decode fuzz corpus (tests/fuzz/corpus_decode) through the differential fuzz entry
// point of the decoder: every seed, truncation and bit flip is refused by both the decoder and the
// torch codec's exact path, or decoded by both to the same pixels.
#include "../fuzz/fuzz_tiny_decoder_entry.hpp"
#include "fuzz_replay.hpp"

#include <doctest/doctest.h>

TEST_CASE("fuzz: the decode corpus gives the decoder's and the torch codec's outcomes alike") {
  CHECK(tiny::test::replay_corpus("corpus_decode", tiny::fuzz::fuzz_tiny_decoder_one, 7, 3) >= 10);
}
