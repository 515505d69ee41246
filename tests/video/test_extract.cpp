#include "../test_support.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "video/av_input.hpp"
#include "video/convert.hpp"
#include "video/extract.hpp"
#include "video/sampling.hpp"
#include "video_fixtures.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

using namespace tiny;
using namespace tiny::video;

namespace {

std::map<size_t, image::Image> extract(const std::string& path, const std::vector<size_t>& wanted,
                                       ExtractStats* stats = nullptr) {
  AvInput input(path);
  FrameIndex index = scan_frames(input);
  std::map<size_t, image::Image> out;
  ExtractStats s = extract_indices(input, index, wanted, {}, [&](Frame&& f) { out[f.index] = std::move(f.image); });
  if (stats) *stats = s;
  return out;
}

std::vector<size_t> all_frames(const std::string& path) {
  AvInput input(path);
  return select_frames(scan_frames(input), {});
}

}  // namespace

TEST_CASE("a full decode reads every frame's counter in order, for each encoder") {
  test::TempDir dir;
  for (std::string codec : {"libx264", "mpeg4", "mjpeg", "ffv1"}) {
    CAPTURE(codec);
    test::VideoSpec spec;
    spec.codec = codec;
    spec.frames = 30;
    spec.b_frames = codec == "libx264" || codec == "mpeg4" ? 2 : 0;
    std::string path = dir.file(codec + (codec == "ffv1" ? ".mkv" : ".mp4"));
    test::write_test_video(path, spec);
    auto frames = extract(path, all_frames(path));
    REQUIRE(frames.size() == 30);
    for (const auto& [i, img] : frames) CHECK(test::read_counter(img) == int(i));
  }
}

TEST_CASE("--indices seeks but returns exactly the frames of a full decode (B-frames)") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(120, 20, 3);
  std::string path = dir.file("b.mp4");
  test::write_test_video(path, spec);
  auto full = extract(path, all_frames(path));
  REQUIRE(full.size() == 120);
  std::vector<size_t> wanted = {0, 1, 19, 20, 21, 59, 77, 100, 118, 119};
  ExtractStats stats;
  auto some = extract(path, wanted, &stats);
  REQUIRE(some.size() == wanted.size());
  CHECK(stats.decoded < 120);
  for (size_t i : wanted) {
    CHECK(test::read_counter(some[i]) == int(i));
    CHECK(some[i].pixels == full[i].pixels);
  }
}

TEST_CASE("variable frame rate: indices and times follow the stream timestamps") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.frames = 40;
  spec.b_frames = 2;
  int64_t t = 0;
  for (int i = 0; i < spec.frames; ++i) {
    spec.pts_ms.push_back(t);
    t += (i % 3 == 0) ? 100 : (i % 3 == 1 ? 33 : 250);
  }
  std::string path = dir.file("vfr.mp4");
  test::write_test_video(path, spec);
  AvInput input(path);
  FrameIndex index = scan_frames(input);
  REQUIRE(index.pts.size() == 40);
  for (int i = 0; i < 40; ++i) CHECK(index.time(i) == doctest::Approx(spec.pts_ms[i] / 1000.0));
  Sampling s;
  s.times = {spec.pts_ms[10] / 1000.0 + 0.01, spec.pts_ms[31] / 1000.0};
  std::map<size_t, int> counters;
  extract_indices(input, index, select_frames(index, s), {},
                  [&](Frame&& f) { counters[f.index] = test::read_counter(f.image); });
  CHECK(counters == std::map<size_t, int>{{10, 10}, {31, 31}});
}

TEST_CASE("odd frame sizes decode at their exact size") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.codec = "ffv1";
  spec.width = 97;
  spec.height = 65;
  spec.frames = 10;
  std::string path = dir.file("odd.mkv");
  test::write_test_video(path, spec);
  auto frames = extract(path, {3, 9});
  REQUIRE(frames.size() == 2);
  CHECK(frames[3].width == 97);
  CHECK(frames[3].height == 65);
  CHECK(test::read_counter(frames[9]) == 9);
}

TEST_CASE("the display matrix rotation is applied") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.frames = 5;
  spec.display_rotation = 90;
  std::string path = dir.file("rot.mp4");
  test::write_test_video(path, spec);
  AvInput input(path);
  CHECK(input.rotation() == 90);  // as ffprobe reports it: rotation -90 (turn clockwise)
  auto frames = extract(path, {4});
  REQUIRE(frames.size() == 1);
  CHECK(frames[4].width == 96);
  CHECK(frames[4].height == 160);
  CHECK(test::read_counter(rotate(frames[4], 270)) == 4);
}

TEST_CASE("rotate turns clockwise") {
  image::Image img = image::Image::blank(3, 2);
  img.at(0, 0)[0] = 200;
  CHECK(rotate(img, 90).at(1, 0)[0] == 200);
  CHECK(rotate(img, 180).at(2, 1)[0] == 200);
  CHECK(rotate(img, 270).at(0, 2)[0] == 200);
}

TEST_CASE("--keyframes decodes only key frames, --scene finds picture changes, --size downscales") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(24, 6, 2);
  std::string path = dir.file("k.mp4");
  test::write_test_video(path, spec);
  AvInput input(path);
  FrameIndex index = scan_frames(input);
  std::vector<size_t> keys;
  ExtractStats stats = extract_keyframes(input, index, 0, 1e9, {}, [&](Frame&& f) {
    CHECK(test::read_counter(f.image) == int(f.index));
    keys.push_back(f.index);
  });
  CHECK(keys == std::vector<size_t>{0, 6, 12, 18});
  CHECK(stats.decoded == 4);
  spec.codec = "ffv1";
  spec.b_frames = 0;
  test::write_test_video(dir.file("s.mkv"), spec);
  AvInput lossless(dir.file("s.mkv"));
  FrameIndex lossless_index = scan_frames(lossless);
  // Consecutive counters differ in one bit block (1/16 of the picture) unless the count carries.
  std::vector<size_t> scenes;
  std::vector<SceneScore> scores;
  ExtractOptions small;
  small.max_side = 80;
  extract_scenes(lossless, lossless_index, 0, 1e9, 0.09, small, [&](Frame&& f) {
    CHECK(f.image.width == 80);
    scenes.push_back(f.index);
  }, &scores);
  CHECK(scenes == std::vector<size_t>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22});
  // Every decoded frame has its score; the selected ones are the first and those above the threshold.
  REQUIRE(scores.size() == 24);
  CHECK(std::isnan(scores[0].score));
  for (size_t i = 0; i < scores.size(); ++i) {
    CAPTURE(i);
    CHECK(scores[i].index == i);
    CHECK(scores[i].selected == (std::find(scenes.begin(), scenes.end(), i) != scenes.end()));
    if (i > 0) CHECK(scores[i].selected == (scores[i].score > 0.09));
  }
}

TEST_CASE("bad input: clear errors, corrupt packets are skipped and reported") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(AvInput(dir.file("missing.mp4")), doctest::Contains("missing.mp4"), Error);
  write_file_atomic(dir.file("junk.mp4"), std::string(1000, 'x'), true);
  CHECK_THROWS_AS(AvInput(dir.file("junk.mp4")), Error);
  // A WAV file: a valid container with only an audio stream.
  std::string wav = std::string("RIFF") + std::string("\x24\x10\0\0", 4) + "WAVEfmt " +
                    std::string("\x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0", 20) + "data" +
                    std::string("\0\x10\0\0", 4) + std::string(4096, '\0');
  write_file_atomic(dir.file("audio.wav"), wav, true);
  CHECK_THROWS_WITH_AS(AvInput(dir.file("audio.wav")), doctest::Contains("no video stream"), Error);

  // An unknown codec: an FFV1 stream whose FourCC in the Matroska header is changed.
  test::VideoSpec ffv1;
  ffv1.codec = "ffv1";
  ffv1.frames = 3;
  test::write_test_video(dir.file("f.mkv"), ffv1);
  std::string mkv = read_text_file(dir.file("f.mkv"));
  size_t fourcc = mkv.find("FFV1");
  REQUIRE(fourcc != std::string::npos);
  mkv.replace(fourcc, 4, "ZQX9");
  write_file_atomic(dir.file("unknown.mkv"), mkv, true);
  CHECK_THROWS_WITH_AS(AvInput(dir.file("unknown.mkv")), doctest::Contains("no decoder"), Error);

  test::VideoSpec spec;
  spec.frames = 60;
  spec.gop = 10;
  std::string path = dir.file("v.mkv");
  test::write_test_video(path, spec);
  Bytes bytes = read_file(path);
  // Truncated: whatever is left decodes, or the file is refused; never a crash.
  write_file_atomic(dir.file("cut.mkv"), std::string(bytes.begin(), bytes.begin() + bytes.size() / 2), true);
  auto cut = extract(dir.file("cut.mkv"), all_frames(dir.file("cut.mkv")));
  CHECK(cut.size() > 5);
  CHECK(cut.size() < 60);
  for (const auto& [i, img] : cut) CHECK(test::read_counter(img) == int(i));
  // Garbage over a stretch in the middle of the MP4's media data: decoding goes on to the end and
  // reports the damage.
  path = dir.file("v.mp4");
  test::write_test_video(path, spec);
  bytes = read_file(path);
  for (size_t p = bytes.size() * 2 / 5; p < bytes.size() * 2 / 5 + 300; ++p) bytes[p] = static_cast<uint8_t>(p * 7);
  write_file_atomic(dir.file("corrupt.mp4"), std::string(bytes.begin(), bytes.end()), true);
  ExtractStats stats;
  auto frames = extract(dir.file("corrupt.mp4"), all_frames(dir.file("corrupt.mp4")), &stats);
  CHECK(stats.decode_errors + stats.missing > 0);
  REQUIRE(frames.count(59));
  CHECK(test::read_counter(frames[59]) == 59);
}
