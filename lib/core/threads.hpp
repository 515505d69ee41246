#pragma once
// The process-wide worker thread count used by tiny's parallel loops (oneTBB) and OpenMP.
// Modules that own other pools (OpenCV, torch) apply the same number through their own setters.

namespace tiny {

// Number of hardware threads (at least 1).
int hardware_threads();
// Limits tiny's parallel loops and OpenMP to n threads (n <= 0 means all cores).
void set_thread_count(int n);
// The thread count set last (all cores until set).
int thread_count();

}  // namespace tiny
