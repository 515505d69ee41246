#include "nn/threads.hpp"

#include "core/threads.hpp"

#include <ATen/Parallel.h>

#include <mutex>

namespace tiny::nn {

void set_torch_threads(int n) {
  if (n <= 0) n = hardware_threads();
  set_thread_count(n);  // tiny's pool, and the OpenMP threads the oneDNN transforms run on
  static std::once_flag interop_once;
  std::call_once(interop_once, [n] { at::set_num_interop_threads(n); });
  at::set_num_threads(n);
}

}  // namespace tiny::nn
