#include "bench/timing.hpp"

#include "core/stopwatch.hpp"

#include <algorithm>

#include <time.h>

namespace tiny::bench {
namespace {

double clock_seconds(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double cpu_seconds(CpuClock clock) {
  return clock == CpuClock::thread ? thread_cpu_seconds() : process_cpu_seconds();
}

}  // namespace

double process_cpu_seconds() { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

double thread_cpu_seconds() { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

Timing time_of(const std::function<void()>& body, CpuClock clock) {
  const double cpu0 = cpu_seconds(clock);
  Stopwatch start;
  body();
  return {start.seconds(), cpu_seconds(clock) - cpu0};
}

Timing best_of(int repeats, const std::function<void()>& body, CpuClock clock) {
  Timing best{1e300, 1e300};
  for (int r = 0; r < repeats; ++r) {
    const Timing t = time_of(body, clock);
    best.wall = std::min(best.wall, t.wall);
    best.cpu = std::min(best.cpu, t.cpu);
  }
  return {std::max(best.wall, 1e-9), std::max(best.cpu, 1e-9)};
}

}  // namespace tiny::bench
