#include "train/distributed.hpp"

#include "core/error.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace tiny::train {
namespace {

int env_int(const char* name, int fallback, int lo, int hi) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*end != '\0' || v < lo || v > hi)
    throw UsageError(fmt::format("environment variable {}=\"{}\" must be an integer in {}..{}", name, text, lo, hi));
  return int(v);
}

}  // namespace

DistributedEnv distributed_env() {
  DistributedEnv e;
  e.world_size = env_int("WORLD_SIZE", 1, 1, 1 << 16);
  e.rank = env_int("RANK", 0, 0, 1 << 16);
  e.local_rank = env_int("LOCAL_RANK", e.rank, 0, 1 << 16);
  e.master_port = env_int("MASTER_PORT", e.master_port, 1, 65535);
  if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr) e.master_addr = addr;
  if (e.rank >= e.world_size)
    throw UsageError(fmt::format("environment variable RANK={} must be below WORLD_SIZE={}", e.rank, e.world_size));
  return e;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  int world_size = 1;
};

ProcessGroup::ProcessGroup(const DistributedEnv& env) : impl_(std::make_unique<Impl>()) {
  impl_->world_size = env.world_size;
  try {
    c10d::TCPStoreOptions options;
    options.port = uint16_t(env.master_port);
    options.isServer = env.rank == 0;
    options.numWorkers = size_t(env.world_size);
    options.waitWorkers = true;
    options.timeout = std::chrono::seconds(120);
    auto store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
    auto gloo = c10d::ProcessGroupGloo::Options::create();
    gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(env.master_addr));
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.world_size, gloo);
  } catch (const std::exception& e) {
    throw Error(fmt::format("rank {} of {}: cannot join the process group at {}:{}: {}", env.rank, env.world_size,
                            env.master_addr, env.master_port, e.what()));
  }
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::average(std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  std::vector<torch::Tensor> flat{torch::cat([&] {
    std::vector<torch::Tensor> parts;
    for (const auto& t : tensors) parts.push_back(t.reshape({-1}));
    return parts;
  }())};
  impl_->group->allreduce(flat)->wait();
  flat[0].div_(double(impl_->world_size));
  int64_t offset = 0;
  for (auto& t : tensors) {
    t.copy_(flat[0].slice(0, offset, offset + t.numel()).view_as(t));
    offset += t.numel();
  }
}

void ProcessGroup::broadcast(std::vector<torch::Tensor>& tensors) {
  for (auto& t : tensors) {
    std::vector<torch::Tensor> one{t};
    impl_->group->broadcast(one)->wait();
  }
}

}  // namespace tiny::train
