#include "core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace tiny::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
}  // namespace

void set_level(Level l) { g_level = l; }

Level level() { return g_level; }

void write(Level at, const std::string& text) {
  if (g_level < at) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  const char* prefix = at == Level::warn ? "tiny: warning: " : "tiny: ";
  std::fprintf(stderr, "%s%s\n", prefix, text.c_str());
  std::fflush(stderr);
}

}  // namespace tiny::log
