#pragma once
// Progress reporting for long work, on stderr: a live bar with rate and ETA on a terminal, plain
// periodic lines otherwise (logs, CI), nothing when quiet. Thread-safe: workers may call advance().
#include "core/stopwatch.hpp"

#include <cstdint>
#include <mutex>
#include <string>

namespace tiny {

class Progress {
public:
  // Starts a progress report of `total` units (0 if unknown) named `label`, counted in `unit`.
  Progress(std::string label, uint64_t total, std::string unit = "items");
  // Prints the final line (if anything was shown).
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Adds n finished units and redraws when due.
  void advance(uint64_t n = 1);
  // Adds n units to the total, for work whose size becomes known as it goes (a total of 0 stays unknown
  // until then).
  void add_total(uint64_t n);
  // Sets a short status text shown after the counts (e.g. "loss 0.41 bpp 0.52").
  void set_status(std::string status);
  // Prints the final line now; later calls do nothing.
  void finish();

  // Globally enables or disables progress output (the CLI's -q turns it off).
  static void set_enabled(bool enabled);

private:
  void draw(bool final);

  std::string label_, unit_, status_;
  uint64_t total_ = 0, done_ = 0;
  Stopwatch since_start_, since_draw_;
  bool tty_ = false, shown_ = false, finished_ = false;
  std::mutex mutex_;
};

// Formats seconds as "1h02m", "3m05s" or "4.2s".
std::string format_duration(double seconds);

}  // namespace tiny
