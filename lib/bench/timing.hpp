#pragma once
// The benchmarks' measure of a piece of work in this process: wall-clock seconds (core/stopwatch.hpp)
// with the CPU seconds it used, which other load on a shared machine does not inflate. Whole commands
// are timed by bench/command_timing.hpp.
#include <functional>

namespace tiny::bench {

// CPU seconds (user + system) used so far by this process, all threads.
double process_cpu_seconds();
// CPU seconds used so far by the calling thread.
double thread_cpu_seconds();

enum class CpuClock { process, thread };

struct Timing {
  double wall = 0, cpu = 0;  // seconds
};

// Wall and CPU seconds of one run of `body`.
Timing time_of(const std::function<void()>& body, CpuClock clock = CpuClock::process);
// The fastest wall time and the fastest CPU time of `repeats` runs of `body` (each at least 1e-9 s).
Timing best_of(int repeats, const std::function<void()>& body, CpuClock clock = CpuClock::process);

}  // namespace tiny::bench
