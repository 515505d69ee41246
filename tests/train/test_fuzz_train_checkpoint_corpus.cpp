// Replays the training checkpoint fuzz corpus (tests/fuzz/corpus_train_checkpoint, version 2 files)
// through the fuzz target's entry point, and checks that its seeds still load into the target's model
// (rerun fuzz_make_seeds when a model or format change makes them stale).
#include "../fuzz/fuzz_train_checkpoint_entry.hpp"
#include "fuzz_replay.hpp"

#include "codec/model.hpp"
#include "core/file_io.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_v1.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tiny;

TEST_CASE("fuzz: the training checkpoint corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_train_checkpoint", fuzz::fuzz_train_checkpoint_one, 997, 17) >= 2);
}

TEST_CASE("fuzz: every training checkpoint seed of fuzz_make_seeds resumes the fuzz target's model") {
  for (const char* seed : {"full.ckpt", "compact.ckpt"}) {
    CAPTURE(seed);
    const std::string path = std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_train_checkpoint/" + seed;
    CHECK(!train::is_checkpoint_v1(read_file(path)));
    auto model = codec::make_model(fuzz::train_checkpoint_config());
    const train::OptimizerParameters params = train::optimizer_parameters(*model);
    torch::optim::Adam optimizer(params.net), aux_optimizer(params.aux);
    CHECK(train::load_checkpoint(path, *model, optimizer, aux_optimizer, torch::kCPU).step == 12);
  }
}
