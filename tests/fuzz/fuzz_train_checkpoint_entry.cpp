#include "fuzz_train_checkpoint_entry.hpp"

#include "codec/model.hpp"
#include "core/error.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_v2.hpp"
#include "train/schedule.hpp"

#include <stdexcept>

namespace tiny::fuzz {
namespace {

// Every parameter and buffer's shape, by name.
std::vector<std::pair<std::string, std::vector<int64_t>>> shapes(codec::CompressionModel& model) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto& p : model.named_parameters(true)) out.emplace_back(p.key(), p.value().sizes().vec());
  for (const auto& b : model.named_buffers(true)) out.emplace_back(b.key(), b.value().sizes().vec());
  return out;
}

}  // namespace

codec::ArchConfig train_checkpoint_config() {
  codec::ArchConfig config = codec::zoo_config("bmshj2018-factorized", 1);
  config.N = config.M = 4;
  return config;
}

void fuzz_train_checkpoint_one(const uint8_t* data, size_t size) {
  // A fresh model each time, as a resumed training starts with: one input's load cannot leak into the next.
  auto model = codec::make_model(train_checkpoint_config());
  const auto before = shapes(*model);
  const train::OptimizerParameters params = train::optimizer_parameters(*model);
  torch::optim::Adam optimizer(params.net), aux_optimizer(params.aux);
  try {
    const train::CheckpointHeader header =
        train::load_checkpoint_v2(Bytes(data, data + size), "train.ckpt", *model, optimizer, aux_optimizer);
    train::LrSchedule(train::ScheduleSection{}, 1e-4, 1000).load_state(header.schedule);
  } catch (const Error&) {
    return;
  }
  if (shapes(*model) != before) throw std::logic_error("a loaded checkpoint changed the shape of a model tensor");
}

}  // namespace tiny::fuzz
