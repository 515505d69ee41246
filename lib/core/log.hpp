#pragma once
// Logging to stderr with levels. stdout is reserved for results (tables, --json).
#include <fmt/format.h>

#include <string>

namespace tiny::log {

enum class Level { quiet = 0, warn = 1, info = 2, debug = 3 };

// Sets the global level (default: info). quiet prints only errors, which the CLI prints itself.
void set_level(Level level);
// Returns the global level.
Level level();
// Writes one line "tiny: <text>" to stderr if `at` is enabled; thread-safe.
void write(Level at, const std::string& text);

template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (level() >= Level::info) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (level() >= Level::warn) write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (level() >= Level::debug) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace tiny::log
