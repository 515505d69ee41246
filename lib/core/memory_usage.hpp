#pragma once
// The process's resident memory, as Linux reports it (/proc/self), to measure a step's peak.

#include <cstdint>

namespace tiny {

// Resets the peak resident size to the current one (false where the kernel does not allow it).
bool reset_peak_memory();
// The resident size now, in bytes (0 if unknown).
uint64_t resident_memory_bytes();
// The peak resident size since the process started or reset_peak_memory(), in bytes (0 if unknown).
uint64_t peak_memory_bytes();

}  // namespace tiny
