// The commands that run no network must not load libtorch (the plugin libtiny_commands.so holds the
// commands that do), and those that meet no video and no unusual image format neither FFmpeg
// (libtiny_video_commands.so) nor OpenCV's image codecs (libtiny_imgcodecs.so): checked on
// /proc/PID/maps of a running tiny, and on the loader's own record of every library a whole command loads.
#include "../video/video_fixtures.hpp"
#include "core/json_file.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tiny {
namespace {

using test::run_tiny;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The libraries mapped by a tiny process reading its input from a pipe, read from /proc/PID/maps once
// it is waiting for that input (by then it has chosen and loaded what its command needs); the pipe then
// gets `input` and the process runs to its end. Empty if it never waited.
std::string maps_while_reading_stdin(const std::vector<std::string>& args, const std::string& input) {
  int to_child[2];
  REQUIRE(pipe(to_child) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    close(to_child[1]);
    freopen("/dev/null", "w", stdout);
    std::vector<char*> argv{const_cast<char*>(TINY_EXE)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(TINY_EXE, argv.data());
    _exit(127);
  }
  close(to_child[0]);
  const std::string proc = "/proc/" + std::to_string(pid);
  std::string maps;
  for (int i = 0; i < 3000; ++i) {  // up to 30 s on a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string syscall = read_text(proc + "/syscall");
    const std::string stat = read_text(proc + "/stat");
    // Blocked in read(2) (syscall 0 on x86-64, 63 on arm64) on descriptor 0.
    std::istringstream fields(syscall);
    long number = -1;
    std::string fd;
    fields >> number >> fd;
    if ((number == 0 || number == 63) && fd == "0x0" && stat.find(") S ") != std::string::npos) {
      maps = read_text(proc + "/maps");
      break;
    }
  }
  (void)!write(to_child[1], input.data(), input.size());
  close(to_child[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  return maps;
}

bool maps_libtorch(const std::string& maps) { return maps.find("libtorch_cpu") != std::string::npos; }

// Every shared object a whole tiny command loaded, from the dynamic loader's own log (LD_DEBUG=files).
std::string libraries_loaded(const std::string& args) {
  setenv("LD_DEBUG", "files", 1);
  test::RunResult r = run_tiny(args);
  unsetenv("LD_DEBUG");
  INFO(args, ": ", r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
  CHECK(r.exit_code == 0);
  return r.err;
}

}  // namespace

TEST_CASE("tiny info on an image from stdin runs without libtorch mapped; compress from stdin maps it") {
  test::TempDir dir;
  const std::string png_path = dir.file("in.png");
  image::write_image(png_path, test::make_test_image(64, 48), true);
  const std::string png = read_text(png_path);
  const std::string info_maps = maps_while_reading_stdin({"info", "-"}, png);
  REQUIRE_MESSAGE(!info_maps.empty(), "tiny info - never waited on its input");
  CHECK(info_maps.find("libtiny.so") != std::string::npos);
  CHECK_FALSE(maps_libtorch(info_maps));
  CHECK(info_maps.find("libtiny_commands") == std::string::npos);
  CHECK(info_maps.find("libavformat") == std::string::npos);
  CHECK(info_maps.find("libopencv_imgcodecs") == std::string::npos);
  const std::string compress_maps = maps_while_reading_stdin({"compress", "-", "-o", dir.file("out.tic")}, png);
  REQUIRE_MESSAGE(!compress_maps.empty(), "tiny compress - never waited on its input");
  CHECK(maps_libtorch(compress_maps));
}

TEST_CASE("commands that run no network load no libtorch: --version, info, frames --keyframes, ingest") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("imgs"));
  image::write_image(dir.file("imgs/a.png"), test::make_test_image(64, 48, 1), true);
  image::write_image(dir.file("imgs/b.png"), test::make_test_image(64, 48, 2), true);
  test::write_test_video(dir.file("clip.mp4"), test::h264_clip(30, 10, 0));
  for (const std::string& args :
       {std::string("--version"), "info " + dir.file("imgs/a.png"),
        "frames --keyframes " + dir.file("clip.mp4") + " -o " + dir.file("frames"),
        "ingest " + dir.file("imgs") + " -o " + dir.file("shards") + " --size 32"}) {
    const std::string loaded = libraries_loaded(args);
    INFO(args);
    CHECK(loaded.find("libtiny.so") != std::string::npos);
    CHECK(loaded.find("libtorch") == std::string::npos);
    CHECK(loaded.find("libopencv_imgcodecs") == std::string::npos);
    const bool video = args.rfind("frames", 0) == 0;
    CHECK((loaded.find("libavformat") != std::string::npos) == video);
    CHECK((loaded.find("libtiny_video_commands.so") != std::string::npos) == video);
  }
  CHECK(libraries_loaded("compress --help").find("libtorch_cpu") != std::string::npos);
}

TEST_CASE("tiny decompress of an mbt2018-mean bitstream loads no libtorch, a context model's loads it") {
  test::TempDir dir;
  image::write_image(dir.file("a.png"), test::make_test_image(96, 64, 3), true);
  REQUIRE(run_tiny("compress " + dir.file("a.png") + " -o " + dir.file("a.tic") + " --quality 1").exit_code == 0);
  for (const std::string& args : {"decompress " + dir.file("a.tic") + " -o " + dir.file("fast.png"),
                                  "decompress --exact " + dir.file("a.tic") + " -o " + dir.file("exact.ppm"),
                                  "decompress --test " + dir.file("a.tic")}) {
    const std::string loaded = libraries_loaded(args);
    INFO(args);
    CHECK(loaded.find("libtiny_decoder.so") != std::string::npos);
    CHECK(loaded.find("libtorch") == std::string::npos);
    CHECK(loaded.find("libtiny_commands.so") == std::string::npos);
  }
  const std::string maps = maps_while_reading_stdin({"decompress", "-", "-o", dir.file("stdin.png")}, read_text(dir.file("a.tic")));
  REQUIRE_MESSAGE(!maps.empty(), "tiny decompress - never waited on its input");
  CHECK_FALSE(maps_libtorch(maps));
  CHECK(std::filesystem::file_size(dir.file("stdin.png")) > 0);
  REQUIRE(run_tiny("compress --untrained --arch mbt2018 " + dir.file("a.png") + " -o " + dir.file("ctx.tic")).exit_code == 0);
  const std::string context = libraries_loaded("decompress --untrained --arch mbt2018 " + dir.file("ctx.tic") + " -o " +
                                               dir.file("ctx.png"));
  CHECK(context.find("libtorch_cpu") != std::string::npos);
}

TEST_CASE("OpenCV's image codecs are loaded only for a format tiny does not decode itself") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("imgs"));
  image::write_image(dir.file("imgs/a.webp"), test::make_test_image(64, 48, 1), true);
  const std::string loaded = libraries_loaded("ingest " + dir.file("imgs") + " -o " + dir.file("shards") + " --size 32");
  CHECK(loaded.find("libtiny_imgcodecs.so") != std::string::npos);
  CHECK(loaded.find("libopencv_imgcodecs") != std::string::npos);
  CHECK(loaded.find("libavformat") == std::string::npos);
  CHECK(loaded.find("libtorch") == std::string::npos);
}

TEST_CASE("without libtiny_imgcodecs.so beside libtiny.so, a WebP fails with an error naming it; PNG works") {
  Dl_info self{};
  REQUIRE(dladdr(reinterpret_cast<void*>(&image::read_image), &self) != 0);
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("lib"));
  std::filesystem::copy_file(std::filesystem::canonical(self.dli_fname), dir.file("lib/libtiny.so.0"));
  std::filesystem::create_directories(dir.file("webp"));
  image::write_image(dir.file("webp/a.webp"), test::make_test_image(64, 48, 1), true);
  image::write_image(dir.file("a.png"), test::make_test_image(64, 48, 2), true);
  setenv("LD_LIBRARY_PATH", dir.file("lib").c_str(), 1);  // searched before the binary's RUNPATH
  test::RunResult webp = run_tiny("ingest " + dir.file("webp") + " -o " + dir.file("shards") + " --size 32");
  test::RunResult png = run_tiny("info " + dir.file("a.png"));
  unsetenv("LD_LIBRARY_PATH");
  CHECK(webp.exit_code == 1);
  const Json failed = read_json_file(dir.file("shards/00000_stats.json"))["failed"];
  REQUIRE(failed.size() == 1);
  CHECK(failed[0]["error"].get<std::string>().find(dir.file("lib/libtiny_imgcodecs.so") +
                                                   ": cannot load OpenCV's image codecs") == 0);
  CHECK(png.exit_code == 0);
}

TEST_CASE("tiny bench startup times each command, ingest, frames --keyframes and decompress included, against ffprobe") {
  if (std::system("ffprobe -version >/dev/null 2>&1") != 0 || std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: the ffprobe or ffmpeg command is not installed");
    return;
  }
  test::RunResult r = run_tiny("bench startup --runs 1 --json");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const Json rows = parse_json(r.out, "stdout")["results"];
  REQUIRE(rows.size() == 6);
  CHECK(rows[2]["command"].get<std::string>().find("ingest") != std::string::npos);
  CHECK(rows[3]["command"].get<std::string>().find("frames --keyframes") != std::string::npos);
  CHECK(rows[4]["command"].get<std::string>().find("decompress") != std::string::npos);
  for (const Json& row : rows) {
    INFO(row.dump());
    CHECK(row["tiny"]["exit_code"] == 0);
    CHECK(row["baseline_timing"]["exit_code"] == 0);
    CHECK(row["tiny"]["cpu_ms"].get<double>() > 0);
    CHECK(row["tiny"]["peak_mb"].get<double>() > 0);
    CHECK(row["ratio"].get<double>() > 0);
    CHECK(row["cpu_ratio"].get<double>() > 0);
  }
}

}  // namespace tiny
