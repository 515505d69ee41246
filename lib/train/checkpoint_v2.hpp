#pragma once
// Version 2 training checkpoints ("tiny-train-checkpoint-2"): safetensors files read by tiny's own
// checked reader. `__metadata__.header` holds the JSON header and `__metadata__.hash` an FNV-1a 64
// of the header and every tensor (a flipped bit anywhere is refused); the tensors are the model's parameters
// and buffers (`model.<name>`), each Adam optimiser's per-parameter state keyed by the parameter's index
// in optimizer_parameters() (`opt.<i>.step`, `opt.<i>.exp_avg`, `opt.<i>.exp_avg_sq`,
// `opt.<i>.max_exp_avg_sq` with amsgrad; `aux.<i>.…` for the auxiliary optimiser) and the CPU random
// generator's state (`rng`, bytes stored as int32).
#include "train/checkpoint.hpp"

#include "core/file_io.hpp"

#include <string>

namespace tiny::train {

// The bytes of a version 2 checkpoint (compact: float16 parameters, no optimiser state).
Bytes checkpoint_v2_bytes(const CheckpointHeader& header, codec::CompressionModel& model,
                          torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer, bool compact);
// Reads version 2 checkpoint bytes into the model and optimisers (the optimisers' state goes to each
// parameter's device) and restores the random generator. Every tensor's name, dtype and shape is checked before anything is copied; throws Error
// naming `path` on any mismatch, corruption or another architecture.
CheckpointHeader load_checkpoint_v2(const Bytes& bytes, const std::string& path, codec::CompressionModel& model,
                                    torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer);

}  // namespace tiny::train
