#include "train/rng_state.hpp"

#include "core/error.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <cstring>
#include <mutex>

namespace tiny::train {
namespace {

// CPUGeneratorImplStateLegacy (ATen/CPUGeneratorImpl.cpp): int64 seed, int32 left, int32 seeded,
// uint64 next, uint64 state[624], ...
constexpr size_t kLeftOffset = 8, kNextOffset = 16;
constexpr int64_t kWords = at::MERSENNE_STATE_N;

}  // namespace

torch::Tensor cpu_rng_state() {
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void check_cpu_rng_state(const torch::Tensor& state, const std::string& where) {
  const int64_t size = cpu_rng_state().numel();
  if (state.scalar_type() != torch::kUInt8 || state.dim() != 1 || state.numel() != size)
    throw Error(fmt::format("{}: the random generator state is not {} bytes", where, size));
  const torch::Tensor bytes = state.contiguous();
  int32_t left;
  uint64_t next;
  std::memcpy(&left, bytes.data_ptr<uint8_t>() + kLeftOffset, sizeof left);
  std::memcpy(&next, bytes.data_ptr<uint8_t>() + kNextOffset, sizeof next);
  if (left < 1 || left > kWords || next > uint64_t(kWords + 1 - left))
    throw Error(fmt::format("{}: the random generator state is corrupt (left {}, next {})", where, left, next));
}

void set_cpu_rng_state(const torch::Tensor& state) {
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

}  // namespace tiny::train
