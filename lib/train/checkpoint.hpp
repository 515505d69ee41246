#pragma once
// Training checkpoints: model parameters and buffers, both Adam optimisers, the torch CPU random
// generator and a JSON header (architecture, N/M, step, best metric, schedule state, config). tiny
// writes version 2 (safetensors, checkpoint_v2.hpp) and reads version 1 (libtorch archives,
// checkpoint_v1.hpp) only when the caller trusts the file.
#include "codec/model.hpp"
#include "core/json_file.hpp"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace tiny::train {

// Everything a checkpoint restores besides tensors.
struct CheckpointHeader {
  std::string arch;
  int N = 0, M = 0, quality = 0;
  int64_t step = 0;  // steps done
  double best = 0;   // best validation loss (0 before the first evaluation)
  bool has_best = false;
  Json schedule;     // LrSchedule::state()
  Json config;       // the configuration it was trained with
  bool compact = false;  // float16 parameters, no optimiser moments (serialize_checkpoint)
};

// The parameters of the two optimisers a checkpoint holds: the network's, and the entropy
// bottleneck's quantiles (minimised by the auxiliary loss).
struct OptimizerParameters {
  std::vector<torch::Tensor> net, aux;
};
// Splits the model's parameters between the two optimisers.
OptimizerParameters optimizer_parameters(codec::CompressionModel& model);

// Serializes a checkpoint to version 2 bytes. A `compact` one (a resume point small enough to commit) keeps the
// parameters as float16 and leaves the optimisers' moments out.
std::string serialize_checkpoint(const CheckpointHeader& header, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                 bool compact = false);
// Whether a version 1 checkpoint may be read: its reader is libtorch's TorchScript import, which can
// crash on a hostile file, so only a file the user vouches for is read that way.
enum class Version1Checkpoints { refuse, trust };

// Reads a checkpoint into the model and optimisers (on `device`) and restores the random generator;
// the optimisers start afresh from a compact one. Throws Error naming `path` if it is unreadable, was
// made for another architecture or N/M, or is version 1 and not trusted.
CheckpointHeader load_checkpoint(const std::string& path, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                 const torch::Device& device,
                                 Version1Checkpoints version1 = Version1Checkpoints::refuse);

}  // namespace tiny::train
