#include "../test_support.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
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

TEST_CASE("a playlist or concat script naming another video is refused, not followed") {
  test::TempDir dir;
  const std::string video = dir.file("v.mp4");
  test::write_test_video(video, test::h264_clip(10, 10, 2));
  const std::string playlist = dir.file("upload.bin"), script = dir.file("script.bin");
  write_file_atomic(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + video + "\n#EXT-X-ENDLIST\n", false);
  write_file_atomic(script, "ffconcat version 1.0\nfile v.mp4\n", false);
  for (const auto& path : {playlist, script}) {
    CAPTURE(path);
    CHECK(!video::is_video(path));
    try {
      video::probe_video(path);
      FAIL("opened");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).rfind(path + ": cannot open video", 0) == 0);
    }
  }
}
