// Replays the file parsers' fuzz corpora (tests/fuzz/corpus_{model,json,safetensors}) through the fuzz
// entry points — every seed, its truncations and bit flips — so they run without libFuzzer.
#include "../fuzz/fuzz_files_entry.hpp"
#include "fuzz_replay.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("the model-file, JSON and safetensors fuzz corpora replay without crashing") {
  CHECK(test::replay_corpus("corpus_model", fuzz::fuzz_model_one, 7, 1) >= 1);
  CHECK(test::replay_corpus("corpus_json", fuzz::fuzz_json_one, 7, 1) >= 2);
  CHECK(test::replay_corpus("corpus_safetensors", fuzz::fuzz_safetensors_one, 7, 1) >= 1);
}
