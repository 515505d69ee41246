#include "train/checkpoint.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "train/checkpoint_v1.hpp"
#include "train/checkpoint_v2.hpp"

namespace tiny::train {

OptimizerParameters optimizer_parameters(codec::CompressionModel& model) {
  OptimizerParameters out;
  for (auto& item : model.named_parameters(true))
    (ends_with(item.key(), "quantiles") ? out.aux : out.net).push_back(item.value());
  return out;
}

std::string serialize_checkpoint(const CheckpointHeader& header, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer, bool compact) {
  const Bytes bytes = checkpoint_v2_bytes(header, model, optimizer, aux_optimizer, compact);
  return std::string(bytes.begin(), bytes.end());
}

CheckpointHeader load_checkpoint(const std::string& path, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                 const torch::Device& device, Version1Checkpoints version1) {
  const Bytes bytes = read_file(path);
  if (is_checkpoint_v1(bytes)) {
    if (version1 == Version1Checkpoints::refuse)
      throw Error(file_error(path, "a version 1 checkpoint (libtorch archive), whose reader can crash on a damaged or "
                                   "hostile file; if you made it, resume it once with --trust-v1-checkpoint and the "
                                   "run re-saves it as version 2"));
    log::warn("{} is a version 1 checkpoint, read through libtorch (unsafe on untrusted files); the run's "
              "checkpoints are version 2",
              path);
    return load_checkpoint_v1(bytes, path, model, optimizer, aux_optimizer, device);
  }
  return load_checkpoint_v2(bytes, path, model, optimizer, aux_optimizer);
}

}  // namespace tiny::train
