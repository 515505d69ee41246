// Replays the torch checkpoint fuzz corpus (tests/fuzz/corpus_torch_checkpoint) through the fuzz
// target's entry point, and checks that its seeds still reach materialize() for every tensor.
#include "../fuzz/fuzz_torch_checkpoint_entry.hpp"
#include "fuzz_replay.hpp"

#include "convert/checkpoint.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("fuzz: the torch checkpoint corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_torch_checkpoint", fuzz::fuzz_torch_checkpoint_one, 7, 3) >= 2);
}

TEST_CASE("fuzz: every torch checkpoint seed reads as a state_dict") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_torch_checkpoint")) {
    CAPTURE(e.path().string());
    CHECK(convert::read_torch_checkpoint(e.path().string()).size() >= 2);
  }
}
