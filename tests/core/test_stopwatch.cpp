#include "core/stopwatch.hpp"

#include <doctest/doctest.h>

using tiny::Stopwatch;

// Only order and bookkeeping are asserted, never durations: the machine may be loaded.

TEST_CASE("a stopwatch's reading never goes back and agrees in both units") {
  const Stopwatch w;
  double a = w.seconds();
  double b = w.seconds();
  CHECK(a >= 0);
  CHECK(b >= a);
  double ms = w.milliseconds();
  double c = w.seconds();
  CHECK(ms >= doctest::Approx(b * 1000));
  CHECK(ms <= doctest::Approx(c * 1000));
}

TEST_CASE("restart starts again: the reading after it is no more than the time since construction") {
  Stopwatch restarted;
  const Stopwatch reference;  // started after `restarted`
  restarted.restart();        // now started after `reference`
  double r = restarted.seconds();
  double ref = reference.seconds();
  CHECK(r >= 0);
  CHECK(r <= ref);
}

TEST_CASE("each lap restarts, so consecutive laps never add up to more than the whole span") {
  const Stopwatch whole_before;  // started before `laps`
  Stopwatch laps;
  double sum = 0;
  for (int i = 0; i < 5; ++i) {
    double lap = laps.lap();
    CHECK(lap >= 0);
    sum += lap;
  }
  double tail = laps.seconds();
  const double whole = whole_before.seconds();  // read after every lap: the longest span
  CHECK(sum + tail <= doctest::Approx(whole));
}
