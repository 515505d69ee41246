#include "video/sampling.hpp"

#include <doctest/doctest.h>

using namespace tiny::video;

namespace {

// 10 frames at irregular times (seconds): 0, 0.1, 0.2, 0.5, 0.6, 1.0, 1.1, 2.0, 2.1, 3.0; the last
// lasts 0.1 s.
FrameIndex vfr_index() {
  FrameIndex index;
  index.time_base_num = 1;
  index.time_base_den = 1000;
  index.pts = {0, 100, 200, 500, 600, 1000, 1100, 2000, 2100, 3000};
  index.key = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  index.end_pts = 3100;
  return index;
}

// n frames at `rate` frames per second in time base 1/rate.
FrameIndex constant_rate(int n, int rate) {
  FrameIndex index;
  index.time_base_num = 1;
  index.time_base_den = rate;
  for (int i = 0; i < n; ++i) index.pts.push_back(i);
  index.key.assign(n, 1);
  index.end_pts = n;
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
  CHECK(select_frames(index, s) == std::vector<size_t>{2, 6, 8});
  s.fps_round = FpsRound::up;
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

TEST_CASE("--fps follows ffmpeg's fps filter: rounded slots, halves away from zero, the end of the last frame") {
  Sampling s;
  s.fps = 1;
  // 25 fps: slot 0 holds the frames before 0.5 s; the end (2.0 s) closes slot 2.
  CHECK(select_frames(constant_rate(50, 25), s) == std::vector<size_t>{12, 37});
  // 38 frames end at 1.52 s, which rounds to slot 2: slot 1 is output; 37 frames end at 1.48 s.
  CHECK(select_frames(constant_rate(38, 25), s) == std::vector<size_t>{12, 37});
  CHECK(select_frames(constant_rate(37, 25), s) == std::vector<size_t>{12});
  // 30 fps: frame 15 is at exactly 0.5 s and rounds up to slot 1.
  CHECK(select_frames(constant_rate(60, 30), s) == std::vector<size_t>{14, 44});
  s.fps_round = FpsRound::up;
  CHECK(select_frames(constant_rate(60, 30), s) == std::vector<size_t>{0, 30});
  s.fps_round = FpsRound::down;
  CHECK(select_frames(constant_rate(60, 30), s) == std::vector<size_t>{29, 59});
  // Timestamps count from the file's start time.
  FrameIndex shifted = constant_rate(60, 30);
  for (auto& p : shifted.pts) p += 15;
  shifted.end_pts += 15;
  shifted.start_pts = 15;
  s.fps_round = FpsRound::near;
  CHECK(select_frames(shifted, s) == std::vector<size_t>{14, 44});
  s.fps = 2;
  CHECK(select_frames(constant_rate(30, 30), s) == std::vector<size_t>{7, 22});
  CHECK(parse_fps_round("down") == FpsRound::down);
  CHECK_THROWS(parse_fps_round("nearest"));
}
