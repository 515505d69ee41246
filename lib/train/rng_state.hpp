#pragma once
// The torch CPU random generator's state as a checkpoint keeps it: the bytes of libtorch 1.13's
// CPUGeneratorImplState (its mt19937 engine, then the cached normal samples).
#include <torch/torch.h>

#include <string>

namespace tiny::train {

// The default CPU generator's state (uint8).
torch::Tensor cpu_rng_state();
// Checks that a uint8 tensor is a state cpu_rng_state() could have returned before it reaches libtorch,
// which trusts the engine's position fields: the size, `left` in [1, 624] and `next` such that no draw
// reads past the 624 words. Throws Error prefixed by `where`.
void check_cpu_rng_state(const torch::Tensor& state, const std::string& where);
// Restores the default CPU generator from a state that passed check_cpu_rng_state().
void set_cpu_rng_state(const torch::Tensor& state);

}  // namespace tiny::train
