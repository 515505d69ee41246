#pragma once
// Version 1 training checkpoints ("tiny-train-checkpoint-1"): libtorch archives, read through
// libtorch's TorchScript import so that existing resume points keep working; tiny no longer writes them.
#include "train/checkpoint.hpp"

#include "core/file_io.hpp"

#include <string>

namespace tiny::train {

// True if the bytes start like a version 1 checkpoint (a zip archive).
bool is_checkpoint_v1(const Bytes& bytes);
// Reads version 1 checkpoint bytes into the model and optimisers (on `device`) and restores the random
// generator; throws Error naming `path` if they are unreadable or made for another architecture.
CheckpointHeader load_checkpoint_v1(const Bytes& bytes, const std::string& path, codec::CompressionModel& model,
                                    torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                    const torch::Device& device);

}  // namespace tiny::train
