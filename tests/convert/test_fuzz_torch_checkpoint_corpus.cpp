// Replays the torch checkpoint fuzz corpus (tests/fuzz/corpus_torch_checkpoint) through the fuzz
// target's entry point, and checks that its seeds still reach materialize() for every tensor.
#include "../fuzz/fuzz_torch_checkpoint_entry.hpp"
#include "fuzz_replay.hpp"

#include "convert/checkpoint.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using namespace tiny;

TEST_CASE("fuzz: the torch checkpoint corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_torch_checkpoint", fuzz::fuzz_torch_checkpoint_one, 7, 3) >= 2);
}

TEST_CASE("fuzz: every torch checkpoint seed of fuzz_make_seeds reads as a state_dict") {
  const std::pair<const char*, size_t> seeds[] = {{"state_dict.pth", 3}, {"ddp_prefix.pth", 2}};
  for (const auto& [seed, tensors] : seeds) {
    CAPTURE(seed);
    const std::string path = std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_torch_checkpoint/" + seed;
    CHECK(convert::read_torch_checkpoint(path).size() == tensors);
  }
}
