// Replays the video fuzz corpus (tests/fuzz/corpus_video) through the fuzz target's entry point, and
// checks that its seeds are still videos FFmpeg decodes, so fuzzing starts past the demuxer probe.
#include "../fuzz/fuzz_video_entry.hpp"
#include "fuzz_replay.hpp"

#include "video/probe.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("fuzz: the video corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_video", fuzz::fuzz_video_one, 101, 11) >= 4);
}

TEST_CASE("fuzz: every video seed probes with frames") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_video")) {
    CAPTURE(e.path().string());
    const video::VideoInfo info = video::probe_video(e.path().string(), true);
    CHECK(info.frames >= 2);
    CHECK(info.damage.empty());
  }
}
