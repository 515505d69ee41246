#pragma once
// The body of the training checkpoint fuzz target (what `tiny train --resume` reads from a version 2
// checkpoint: the safetensors file, the JSON header, the model's tensors, both optimisers, the random
// generator and the schedule state; version 1 goes through libtorch and is not fuzzed), shared by the libFuzzer binary (fuzz_train_checkpoint), the corpus replay in
// test_train and the seed generator.
#include "codec/zoo.hpp"

#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// The model the target resumes: bmshj2018-factorized quality 1 at N = M = 4 (seeds stay a few KB).
codec::ArchConfig train_checkpoint_config();
// Loads the bytes as a version 2 checkpoint into a fresh model of train_checkpoint_config() and its optimisers
// and restores the schedule state as the trainer does; a checkpoint that loads must leave every
// parameter and buffer its shape. Rejected input (tiny::Error) is fine; anything else escapes.
void fuzz_train_checkpoint_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
