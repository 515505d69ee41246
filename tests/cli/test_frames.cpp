#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/decode.hpp"
#include "shards/webdataset.hpp"
#include "../video/video_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

using namespace tiny;
using test::run_tiny;

namespace {

// The frame counters read back from the files listed in a frames.json index.
std::vector<int> counters(const Json& index) {
  std::vector<int> out;
  for (const auto& f : index) out.push_back(test::read_counter(image::read_image(f["file"].get<std::string>())));
  return out;
}

bool have_ffmpeg() { return std::system("ffmpeg -version >/dev/null 2>&1") == 0; }

// The pictures of the files listed in a frames.json index, in its order.
std::vector<image::Image> pictures(const Json& index) {
  std::vector<image::Image> out;
  for (const auto& f : index) out.push_back(image::read_image(f["file"].get<std::string>()));
  return out;
}

// The pictures the ffmpeg tool wrote as {dir}/f1.png, f2.png, ...
std::vector<image::Image> ffmpeg_pictures(const std::string& dir) {
  std::vector<image::Image> out;
  for (int i = 1; std::filesystem::exists(dir + "/f" + std::to_string(i) + ".png"); ++i) {
    out.push_back(image::read_image(dir + "/f" + std::to_string(i) + ".png"));
  }
  return out;
}

// Checks that two lists of pictures are the same, pixel for pixel, in order.
void check_same_pictures(const std::vector<image::Image>& a, const std::vector<image::Image>& b) {
  REQUIRE(a.size() == b.size());
  CHECK(!a.empty());
  for (size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i].width == b[i].width);
    CHECK(a[i].height == b[i].height);
    CHECK(a[i].pixels == b[i].pixels);
  }
}

// Runs `tiny frames VIDEO --format png FLAGS` and `ffmpeg [INPUT_FLAGS] -i VIDEO OUTPUT_FLAGS f%d.png`
// into fresh folders and checks that both wrote the same pictures, pixel for pixel, in order.
void check_same_as_ffmpeg(const test::TempDir& dir, const std::string& video, const std::string& flags,
                          const std::string& input_flags, const std::string& output_flags) {
  CAPTURE(video);
  CAPTURE(flags);
  static int run = 0;
  std::string ours = dir.file("tiny" + std::to_string(run)), theirs = dir.file("ffmpeg" + std::to_string(run));
  ++run;
  REQUIRE(run_tiny("frames " + video + " -o " + ours + " --format png " + flags).exit_code == 0);
  std::filesystem::create_directories(theirs);
  REQUIRE(std::system(("ffmpeg -nostdin -v error " + input_flags + " -i '" + video + "' " + output_flags + " '" +
                       theirs + "/f%d.png'").c_str()) == 0);
  check_same_pictures(pictures(read_json_file(ours + "/frames.json")), ffmpeg_pictures(theirs));
}

}  // namespace

TEST_CASE("tiny frames extracts exact frames of several videos with a JSON index") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(50, 10, 2);
  test::write_test_video(dir.file("a.mp4"), spec);
  spec.codec = "ffv1";
  spec.b_frames = 0;
  test::write_test_video(dir.file("b.mkv"), spec);
  std::string out = dir.file("out");
  auto r = run_tiny("frames " + dir.file("a.mp4") + " " + dir.file("b.mkv") + " -o " + out +
                    " --indices 3,17,40 --format png");
  REQUIRE(r.exit_code == 0);
  Json index = read_json_file(out + "/frames.json");
  REQUIRE(index.size() == 6);
  CHECK(counters(index) == std::vector<int>{3, 17, 40, 3, 17, 40});
  CHECK(index[1]["video"] == dir.file("a.mp4"));
  CHECK(index[1]["index"] == 17);
  CHECK(index[1]["time"].get<double>() == doctest::Approx(17 / 25.0));
  CHECK(std::filesystem::exists(out + "/a_000017.png"));
  CHECK(std::filesystem::exists(out + "/b_000040.png"));

  auto csv = run_tiny("frames " + dir.file("a.mp4") + " -o " + dir.file("csv") + " --indices 17 --index " +
                      dir.file("index.csv"));
  REQUIRE(csv.exit_code == 0);
  CHECK(read_text_file(dir.file("index.csv")) ==
        "video,index,pts,time,file,key\n" + dir.file("a.mp4") + ",17," + index[1]["pts"].dump() + ",0.68," +
            dir.file("csv") + "/a_000017.jpg,\n");

  // Existing outputs are kept unless --force (or --overwrite), which the error names.
  auto again = run_tiny("frames " + dir.file("a.mp4") + " -o " + out + " --indices 3 --format png");
  CHECK(again.exit_code != 0);
  CHECK(again.err.find("already exists (use --force to overwrite)") != std::string::npos);
  CHECK(run_tiny("frames " + dir.file("a.mp4") + " -o " + out + " --indices 3 --format png --overwrite").exit_code == 0);
  CHECK(run_tiny("frames " + dir.file("a.mp4") + " -o " + out + " --indices 3 --format png --force").exit_code == 0);
}

TEST_CASE("tiny frames --indices past the end: the frames there are written, the absent ones listed, exit 1") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.frames = 25;
  spec.gop = 10;
  test::write_test_video(dir.file("clip.mp4"), spec);
  test::write_test_video(dir.file("whole.mp4"), spec);
  const std::string out = dir.file("out");
  auto r = run_tiny("frames " + dir.file("clip.mp4") + " " + dir.file("whole.mp4") + " -o " + out +
                    " --indices 0,10,25,99,10 --format png --json");
  CHECK(r.exit_code == 1);
  Json index = read_json_file(out + "/frames.json");
  CHECK(counters(index) == std::vector<int>{0, 10, 0, 10});
  Json j = parse_json(r.out, "stdout");
  for (const auto& v : j["videos"]) {
    CHECK(v["frames"] == 2);
    CHECK(v["missing"] == 2);
    CHECK(v["missing_indices"] == Json::array({25, 99}));
    CHECK(v["error"].is_null());
  }
  CHECK(r.err.find(dir.file("clip.mp4") + ": requested frames not extracted") != std::string::npos);
  CHECK(r.err.find("25,99") != std::string::npos);

  auto all_there = run_tiny("frames " + dir.file("clip.mp4") + " -o " + dir.file("ok") + " --indices 0,24 --json");
  CHECK(all_there.exit_code == 0);
  CHECK(parse_json(all_there.out, "stdout")["videos"][0]["missing_indices"] == Json::array());
}

TEST_CASE("tiny frames sampling modes: --every, --times, --fps, --uniform, --keyframes, --start/--end, --size") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.frames = 50;
  spec.gop = 10;
  test::write_test_video(dir.file("v.mp4"), spec);
  auto run = [&](const std::string& name, const std::string& flags) {
    std::string out = dir.file(name);
    auto r = run_tiny("frames " + dir.file("v.mp4") + " -o " + out + " --format png " + flags);
    REQUIRE(r.exit_code == 0);
    return read_json_file(out + "/frames.json");
  };
  CHECK(counters(run("every", "--every 12")) == std::vector<int>{0, 12, 24, 36, 48});
  CHECK(counters(run("times", "--times 0.5,1.01")) == std::vector<int>{12, 25});
  CHECK(counters(run("fps", "--fps 1")) == std::vector<int>{12, 37});  // ffmpeg's fps filter: nearest slot
  CHECK(counters(run("fps_up", "--fps 1 --fps-round up")) == std::vector<int>{0, 25});
  CHECK(counters(run("uniform", "--uniform 3")) == std::vector<int>{0, 25, 49});
  CHECK(counters(run("keys", "--keyframes --start 0.5 --end 1.5")) == std::vector<int>{20, 30});
  CHECK(counters(run("range", "--every 5 --start 1 --end 1.2")) == std::vector<int>{25, 30});
  Json small = run("small", "--indices 7 --size 80");
  auto img = image::read_image(small[0]["file"].get<std::string>());
  CHECK(img.width == 80);
  CHECK(img.height == 48);
}

TEST_CASE("tiny frames --scene writes every frame's score as CSV and a plot with the threshold") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(24, 6, 0);
  spec.codec = "ffv1";
  test::write_test_video(dir.file("s.mkv"), spec);
  auto r = run_tiny("frames " + dir.file("s.mkv") + " -o " + dir.file("out") + " --scene 0.09 --json");
  REQUIRE(r.exit_code == 0);
  const Json video = parse_json(r.out, "stdout")["videos"][0];
  CHECK(video["scene_scores"] == Json::array({dir.file("out/s_scenes.csv"), dir.file("out/s_scenes.svg"),
                                              dir.file("out/s_scenes.png")}));
  const std::string csv = read_text_file(dir.file("out/s_scenes.csv"));
  CHECK(csv.rfind("index,time,score,selected\n0,0.000000,,1\n1,0.040000,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 25);
  // As many selected lines as frames extracted.
  size_t selected = 0;
  for (size_t at = csv.find(",1\n"); at != std::string::npos; at = csv.find(",1\n", at + 1)) ++selected;
  CHECK(selected == video["frames"].get<size_t>());
  CHECK(read_text_file(dir.file("out/s_scenes.svg")).find("<svg") != std::string::npos);
  CHECK(image::read_image(dir.file("out/s_scenes.png")).width > 600);
  // Existing score files are refused before any frame is written, unless --force.
  auto again = run_tiny("frames " + dir.file("s.mkv") + " -o " + dir.file("out") + " --scene 0.2 --index " + dir.file("i.json"));
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("s_scenes.csv") != std::string::npos);
  CHECK(run_tiny("frames " + dir.file("s.mkv") + " -o " + dir.file("out") + " --scene 0.2 --force").exit_code == 0);
  // Without --scene no scores are written.
  auto every = run_tiny("frames " + dir.file("s.mkv") + " -o " + dir.file("every") + " --every 5");
  REQUIRE(every.exit_code == 0);
  CHECK(!std::filesystem::exists(dir.file("every/s_scenes.csv")));
}

TEST_CASE("tiny frames and tiny info on bad input: one-line errors, other videos go on") {
  test::TempDir dir;
  test::VideoSpec spec;
  spec.frames = 10;
  test::write_test_video(dir.file("ok.mp4"), spec);
  write_file_atomic(dir.file("junk.mp4"), std::string_view("not a video"), false);
  auto r = run_tiny("frames " + dir.file("junk.mp4") + " " + dir.file("ok.mp4") + " -o " + dir.file("out") +
                    " --every 5");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("junk.mp4") != std::string::npos);
  CHECK(read_json_file(dir.file("out/frames.json")).size() == 2);
  CHECK(run_tiny("frames " + dir.file("ok.mp4") + " -o " + dir.file("o2") + " --every 5 --fps 1").exit_code == 2);
  auto info = run_tiny("info " + dir.file("junk.mp4"));
  CHECK(info.exit_code == 1);
  CHECK(info.err.find("junk.mp4") != std::string::npos);
}

TEST_CASE("tiny frames and tiny info --count on a truncated mp4: the frames before the cut, a warning, exit 1") {
  if (!have_ffmpeg()) {
    MESSAGE("skipped: the ffmpeg command is not installed (needed to move the moov box first)");
    return;
  }
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(50, 10, 0);
  test::write_test_video(dir.file("whole.mp4"), spec);
  REQUIRE(std::system(("ffmpeg -nostdin -v error -i '" + dir.file("whole.mp4") + "' -c copy -movflags +faststart '" +
                       dir.file("fast.mp4") + "'").c_str()) == 0);
  Bytes whole = read_file(dir.file("fast.mp4"));
  write_file_atomic(dir.file("cut.mp4"), Bytes(whole.begin(), whole.begin() + long(whole.size()) / 2), false);
  auto r = run_tiny("frames " + dir.file("cut.mp4") + " -o " + dir.file("out") + " --every 1 --json");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cut.mp4") != std::string::npos);
  CHECK(r.err.find("truncated") != std::string::npos);
  Json index = read_json_file(dir.file("out/frames.json"));
  CHECK(index.size() > 5);
  CHECK(index.size() < 50);
  CHECK(counters(index).front() == 0);
  Json summary = parse_json(r.out, "stdout");
  CHECK(summary["videos"][0]["damage"].is_string());
  auto info = run_tiny("info --count --json " + dir.file("cut.mp4"));
  CHECK(info.exit_code == 1);
  CHECK(info.err.find("cut.mp4") != std::string::npos);
  Json j = parse_json(info.out, "stdout")["files"];
  CHECK(j[0]["damage"].is_string());
  CHECK(j[0]["frames"].get<size_t>() < 50);
  CHECK(run_tiny("info --count " + dir.file("fast.mp4")).exit_code == 0);
}

TEST_CASE("tiny frames where every video fails writes no index") {
  test::TempDir dir;
  write_file_atomic(dir.file("junk.mp4"), std::string_view("not a video"), false);
  auto r = run_tiny("frames " + dir.file("junk.mp4") + " -o " + dir.file("out") + " --every 5");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("junk.mp4") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("out/frames.json")));
}

TEST_CASE("tiny info describes videos, with exact counts on --count") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(30, 10, 2);
  spec.display_rotation = 90;
  test::write_test_video(dir.file("v.mp4"), spec);
  auto table = run_tiny("info " + dir.file("v.mp4") + " --count");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("h264") != std::string::npos);
  CHECK(table.out.find("96x160") != std::string::npos);
  auto r = run_tiny("info --json --count " + dir.file("v.mp4"));
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout")["files"];
  CHECK(j[0]["type"] == "video");
  CHECK(j[0]["frames"] == 30);
  CHECK(j[0]["key_frames"] == 3);
  CHECK(j[0]["rotation"] == 90);
  CHECK(j[0]["streams"].size() == 1);
}

TEST_CASE("tiny bench frames --quick measures tiny and ffmpeg on the same sampling") {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: the ffmpeg command is not installed");
    return;
  }
  auto r = run_tiny("bench frames --quick --json");
  REQUIRE(r.exit_code == 0);
  Json j = parse_json(r.out, "stdout");
  REQUIRE(j["results"].size() == 4);
  CHECK(j["results"][0]["tiny_frames"] == j["results"][0]["baseline_frames"]);
  CHECK(j["results"][0]["identical"] == true);
  CHECK(j["results"][1]["tiny_frames"].get<int>() >= 2);
  CHECK(j["results"][1]["identical"].is_null());
  CHECK(j["results"][2]["tiny_frames"] == j["results"][2]["baseline_frames"]);
  CHECK(j["results"][2]["identical"] == true);
  CHECK(j["results"][3]["tiny_frames"] == 10);
  CHECK(j["tiny_startup_s"].get<double>() > 0);
  for (const auto& c : j["results"]) {
    CHECK(c["speedup"].get<double>() > 0);
    CHECK(c["speedup_with_start"].get<double>() > 0);
  }
}

TEST_CASE("tiny frames --shard-size writes WebDataset shards in frame order with per-frame JSON") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(30, 10, 2);
  test::write_test_video(dir.file("clip.mp4"), spec);
  std::string out = dir.file("out");
  auto r = run_tiny("frames " + dir.file("clip.mp4") + " -o " + out + " --every 3 --format png --shard-size 4");
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> keys;
  std::vector<int> shown;
  for (const std::string shard : {"clip-00000.tar", "clip-00001.tar", "clip-00002.tar"}) {
    CAPTURE(shard);
    REQUIRE(std::filesystem::exists(out + "/" + shard));
    shards::read_shard(out + "/" + shard, [&](shards::Sample&& s) {
      keys.push_back(s.key);
      const Bytes& png = s.files.at("png");
      shown.push_back(test::read_counter(image::decode_image(png, s.key)));
      Json meta = parse_json(std::string(s.files.at("json").begin(), s.files.at("json").end()), s.key);
      CHECK(meta["index"].get<int>() == shown.back());
    });
  }
  CHECK(!std::filesystem::exists(out + "/clip-00003.tar"));
  CHECK(shown == std::vector<int>{0, 3, 6, 9, 12, 15, 18, 21, 24, 27});
  CHECK(keys.front() == "clip_000000");
  Json index = read_json_file(out + "/frames.json");
  REQUIRE(index.size() == 10);
  CHECK(index[9]["file"].get<std::string>().find("clip-00002.tar") != std::string::npos);
  CHECK(index[9]["key"] == "clip_000027");
}

TEST_CASE("tiny frames --shard-size of a video whose name has dots: keys without dots, one sample per frame") {
  test::TempDir dir;
  test::write_test_video(dir.file("my.clip.v2.mp4"), test::h264_clip(12, 10, 2));
  std::string out = dir.file("out");
  REQUIRE(run_tiny("frames " + dir.file("my.clip.v2.mp4") + " -o " + out + " --every 3 --shard-size 8").exit_code == 0);
  std::vector<std::string> keys;
  shards::read_shard(out + "/my.clip.v2-00000.tar", [&](shards::Sample&& s) {
    CHECK(s.files.count("jpg") == 1);
    keys.push_back(s.key);
  });
  CHECK(keys == std::vector<std::string>{"my_clip_v2_000000", "my_clip_v2_000003", "my_clip_v2_000006",
                                         "my_clip_v2_000009"});
  CHECK(read_json_file(out + "/frames.json")[1]["key"] == "my_clip_v2_000003");
}

TEST_CASE("tiny frames --fps gives the ffmpeg tool's frames, pixel for pixel, in PNG") {
  if (!have_ffmpeg()) {
    MESSAGE("skipped: the ffmpeg command is not installed");
    return;
  }
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(110, 25, 2);
  std::string h264 = dir.file("h264.mp4");
  test::write_test_video(h264, spec);
  check_same_as_ffmpeg(dir, h264, "--fps 1", "", "-vf fps=1");
  check_same_as_ffmpeg(dir, h264, "--fps 3", "", "-vf fps=3");
  check_same_as_ffmpeg(dir, h264, "--fps 1 --fps-round up", "", "-vf fps=1:round=up");
  check_same_as_ffmpeg(dir, h264, "--keyframes", "-skip_frame nokey", "-fps_mode passthrough");
  // Variable frame rate; an odd size and 4:4:4 in Matroska.
  test::VideoSpec vfr = spec;
  vfr.width = 98;
  vfr.height = 66;
  for (int i = 0, t = 0; i < vfr.frames; ++i) {
    vfr.pts_ms.push_back(t);
    t += i % 4 == 3 ? 90 : 25;
  }
  std::string odd = dir.file("vfr.mp4");
  test::write_test_video(odd, vfr);
  check_same_as_ffmpeg(dir, odd, "--fps 2", "", "-vf fps=2");
  spec.codec = "ffv1";
  spec.b_frames = 0;
  spec.width = 97;
  spec.height = 65;
  std::string ffv1 = dir.file("ffv1.mkv");
  test::write_test_video(ffv1, spec);
  check_same_as_ffmpeg(dir, ffv1, "--fps 1 --fps-round down", "", "-vf fps=1:round=down");
  // MPEG-TS: timestamps that start at 1.4 s (which the ffmpeg tool counts from) and seeking by DTS.
  std::string ts = dir.file("h264.ts");
  REQUIRE(std::system(("ffmpeg -nostdin -v error -i '" + h264 + "' -c copy '" + ts + "'").c_str()) == 0);
  check_same_as_ffmpeg(dir, ts, "--fps 2", "", "-vf fps=2");
}

TEST_CASE("tiny frames --hwaccel cuda falls back to software without a device and gives the same frames") {
  test::TempDir dir;
  test::VideoSpec spec = test::h264_clip(30, 10, 2);
  std::string video = dir.file("v.mp4");
  test::write_test_video(video, spec);
  auto none = run_tiny("frames " + video + " -o " + dir.file("none") + " --every 7 --format png --json --hwaccel none");
  REQUIRE(none.exit_code == 0);
  CHECK(parse_json(none.out, "stdout")["videos"][0]["decoder"] == "software");
  for (std::string kind : {"cuda", "auto"}) {
    CAPTURE(kind);
    auto r = run_tiny("-v frames " + video + " -o " + dir.file(kind) + " --every 7 --format png --json --hwaccel " + kind);
    REQUIRE(r.exit_code == 0);
    std::string decoder = parse_json(r.out, "stdout")["videos"][0]["decoder"];
    if (decoder != "software") {
      MESSAGE("decoded on " << decoder << ": this machine has a device");
      continue;
    }
    CHECK(r.err.find("decoding in software") != std::string::npos);
    check_same_pictures(pictures(read_json_file(dir.file(kind) + "/frames.json")),
                        pictures(read_json_file(dir.file("none") + "/frames.json")));
  }
  CHECK(run_tiny("frames " + video + " -o " + dir.file("bad") + " --hwaccel vulkan").exit_code == 2);
}
