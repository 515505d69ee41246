#pragma once
// The one timer of spans of wall-clock time inside tiny (steady clock: never goes back); the benchmarks
// add CPU time (bench/timing.hpp) and time whole commands with their memory (bench/command_timing.hpp).
#include <chrono>

namespace tiny {

class Stopwatch {
public:
  using Clock = std::chrono::steady_clock;

  // Starts timing now.
  Stopwatch() : start_(Clock::now()) {}
  // Seconds since the start (construction or the last restart or lap); never negative.
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  // Milliseconds since the start.
  double milliseconds() const { return std::chrono::duration<double, std::milli>(Clock::now() - start_).count(); }
  // Starts again from now.
  void restart() { start_ = Clock::now(); }
  // Seconds since the start, and starts again from the same instant (consecutive laps add up to the
  // whole span, losing no time between them).
  double lap() {
    Clock::time_point now = Clock::now();
    double s = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return s;
  }

private:
  Clock::time_point start_;
};

}  // namespace tiny
