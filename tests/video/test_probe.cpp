#include "../test_support.hpp"
#include "core/error.hpp"
#include "video/probe.hpp"
#include "video_fixtures.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("probe_video describes the stream, and counts frames exactly on request") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(50, 10, 2);
  spec.display_rotation = -90;
  std::string path = dir.file("v.mp4");
  test::write_test_video(path, spec);
  video::VideoInfo info = video::probe_video(path);
  CHECK(info.codec == "h264");
  CHECK(info.rotation == 270);
  CHECK(info.width == 96);
  CHECK(info.height == 160);
  CHECK(info.real_fps == doctest::Approx(25));
  CHECK(info.avg_fps == doctest::Approx(25).epsilon(0.05));
  CHECK(info.duration == doctest::Approx(2.0).epsilon(0.05));
  CHECK(!info.counted);
  video::VideoInfo counted = video::probe_video(path, true);
  CHECK(counted.frames == 50);
  CHECK(counted.key_frames == 5);
  CHECK(video::is_video(path));
  CHECK(!video::is_video(dir.file("none.mp4")));
  CHECK_THROWS_AS(video::probe_video(dir.file("none.mp4")), Error);
}
