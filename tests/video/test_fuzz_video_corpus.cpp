// Replays the video fuzz corpus (tests/fuzz/corpus_video) through the fuzz target's entry point, and
// checks that its seeds are still videos FFmpeg decodes, so fuzzing starts past the demuxer probe.
#include "../fuzz/fuzz_video_entry.hpp"
#include "fuzz_replay.hpp"

#include "video/probe.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tiny;

TEST_CASE("fuzz: the video corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_video", fuzz::fuzz_video_one, 101, 11) >= 4);
}

TEST_CASE("fuzz: every video seed of make_video_seeds.sh probes with frames") {
  for (const char* seed : {"h264.mp4", "vp9.webm", "mpeg2.ts", "mjpeg.avi", "mpeg4.mov", "ffv1.mkv"}) {
    CAPTURE(seed);
    const video::VideoInfo info = video::probe_video(std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_video/" + seed, true);
    CHECK(info.frames >= 2);
    CHECK(info.damage.empty());
  }
}
