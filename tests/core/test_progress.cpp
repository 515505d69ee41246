#include "core/progress.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("durations are formatted for people") {
  CHECK(format_duration(4.25) == "4.2s");
  CHECK(format_duration(185) == "3m05s");
  CHECK(format_duration(3720) == "1h02m");
}

TEST_CASE("progress counts work and finishing twice is harmless") {
  Progress::set_enabled(false);
  Progress p("work", 100);
  for (int i = 0; i < 100; ++i) p.advance();
  p.finish();
  p.finish();
  Progress::set_enabled(true);
}
