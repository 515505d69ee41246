#include "core/memory_usage.hpp"

#include <fstream>
#include <string>

namespace tiny {

bool reset_peak_memory() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  return bool(f.flush());
}

namespace {
// A "Key:  1234 kB" line of /proc/self/status, in bytes.
uint64_t status_bytes(const std::string& key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size())) * 1024;
  return 0;
}
}  // namespace

uint64_t resident_memory_bytes() { return status_bytes("VmRSS:"); }

uint64_t peak_memory_bytes() { return status_bytes("VmHWM:"); }

}  // namespace tiny
