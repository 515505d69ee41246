#include "core/threads.hpp"

#include <tbb/global_control.h>

#include <memory>
#include <mutex>
#include <thread>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace tiny {
namespace {
std::mutex g_mutex;
std::unique_ptr<tbb::global_control> g_control;
int g_threads = 0;
}  // namespace

int hardware_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void set_thread_count(int n) {
  if (n <= 0) n = hardware_threads();
  std::lock_guard<std::mutex> lock(g_mutex);
  g_control.reset();
  g_control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<size_t>(n));
#ifdef _OPENMP
  omp_set_num_threads(n);
#endif
  g_threads = n;
}

int thread_count() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_threads > 0 ? g_threads : hardware_threads();
}

}  // namespace tiny
