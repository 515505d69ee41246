#include "video/sampling.hpp"

#include <doctest/doctest.h>

using namespace tiny::video;

namespace {

// 10 frames at irregular times (seconds): 0, 0.1, 0.2, 0.5, 0.6, 1.0, 1.1, 2.0, 2.1, 3.0.
FrameIndex vfr_index() {
  FrameIndex index;
  index.time_base = 0.001;
  index.pts = {0, 100, 200, 500, 600, 1000, 1100, 2000, 2100, 3000};
  index.key = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  return index;
}

}  // namespace

TEST_CASE("frame index lookups follow timestamps") {
  FrameIndex index = vfr_index();
  CHECK(index.find(1100) == 6);
  CHECK(index.find(1101) == -1);
  CHECK(index.at_time(0.55) == 3);
  CHECK(index.at_time(1.0) == 5);
  CHECK(index.at_time(99) == 9);
  CHECK(index.key_count() == 2);
}

TEST_CASE("sampling modes choose the expected frames") {
  FrameIndex index = vfr_index();
  Sampling s;
  CHECK(select_frames(index, s).size() == 10);
  s.every = 3;
  CHECK(select_frames(index, s) == std::vector<size_t>{0, 3, 6, 9});
  s = {};
  s.indices = {9, 2, 2, 42};
  CHECK(select_frames(index, s) == std::vector<size_t>{2, 9});
  s = {};
  s.times = {1.05, 0.0, 2.5, 99};
  CHECK(select_frames(index, s) == std::vector<size_t>{0, 5, 8});
  s = {};
  s.fps = 1;
  CHECK(select_frames(index, s) == std::vector<size_t>{0, 5, 7, 9});
  s = {};
  s.uniform = 3;
  CHECK(select_frames(index, s) == std::vector<size_t>{0, 5, 9});
  s.start = 0.5;
  s.end = 2.05;
  CHECK(select_frames(index, s) == std::vector<size_t>{3, 5, 7});
  s = {};
  s.start = 5;
  CHECK(select_frames(index, s).empty());
  CHECK(select_frames(FrameIndex{}, Sampling{}).empty());
}
