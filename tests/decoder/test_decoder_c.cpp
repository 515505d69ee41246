// The C example (decoder_c_example.c: C, tiny_decoder.h only, linked with libtiny_decoder alone)
// decodes a bitstream to the exact torch pixels in a process that maps no libtorch, and the decoder
// library itself needs no torch, OpenCV or FFmpeg library.
#include "decoder_fixtures.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace tiny {
namespace {

// Runs a shell command; returns its standard output and sets `status` to its exit status.
std::string run(const std::string& command, int& status) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) out.append(buffer.data(), n);
  status = pclose(pipe.release());
  return out;
}

// The torch, OpenCV and FFmpeg libraries and tiny's larger libraries, none of which the decoder may load.
const char* const kForbidden[] = {"libtorch", "libc10", "opencv", "libavcodec", "libavformat", "libavutil",
                                  "libtiny.so", "libtiny_models"};

TEST_CASE("a C program decodes with the C API alone, without mapping libtorch") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "mbt2018-mean");
  const Bytes tic = test::compress_with(path, test::make_test_image(100, 60, 4), 64);
  write_file_atomic(dir.file("x.tic"), tic, true);
  codec::Codec torch_codec = codec::Codec::from_file(path);
  torch_codec.set_exact_reconstruction(true);
  const image::Image exact = torch_codec.decompress(tic, "x.tic");
  int status = -1;
  const std::string out = run(std::string(DECODER_C_EXAMPLE) + " '" + path + "' '" + dir.file("x.tic") + "' '" +
                                  dir.file("x.rgb") + "'",
                              status);
  REQUIRE(status == 0);
  CHECK(out.rfind("100x60\n", 0) == 0);
  CHECK(read_file(dir.file("x.rgb")) == exact.pixels);
  CHECK(out.find("libtiny_decoder.so") != std::string::npos);
  for (const char* lib : kForbidden) {
    CAPTURE(lib);
    CHECK(out.find(lib) == std::string::npos);
  }
  // A damaged file: exit 1 with the status and message on stderr.
  write_file_atomic(dir.file("bad.tic"), Bytes(tic.begin(), tic.begin() + 30), true);
  const std::string err = run(std::string(DECODER_C_EXAMPLE) + " '" + path + "' '" + dir.file("bad.tic") + "' '" +
                                  dir.file("bad.rgb") + "' 2>&1",
                              status);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(err.find("status 4: <tic>") == 0);
}

TEST_CASE("the decoder library names no torch, OpenCV or FFmpeg library") {
  int status = -1;
  const std::string needed = run(std::string("readelf -d '") + TINY_DECODER_SO + "' 2>&1", status);
  if (status != 0) {
    MESSAGE("readelf is not available: " << needed);
    return;
  }
  CHECK(needed.find("(NEEDED)") != std::string::npos);
  for (const char* lib : kForbidden) {
    CAPTURE(lib);
    CHECK(needed.find(lib) == std::string::npos);
  }
}

}  // namespace
}  // namespace tiny
