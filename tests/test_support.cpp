#include "test_support.hpp"

#include "bench/compressai_side_by_side.hpp"
#include "core/file_io.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

namespace tiny::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "tiny-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

image::Image make_test_image(int width, int height, unsigned seed) {
  image::Image img = image::Image::blank(width, height);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-12, 12);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = img.at(x, y);
      double fx = double(x) / width, fy = double(y) / height;
      int r = int(255 * fx), g = int(255 * fy), b = int(128 + 100 * std::sin(12 * fx + 7 * fy));
      if ((x / 16 + y / 16) % 2 == 0 && x > width / 2) r = 255 - r;
      int n = noise(rng);
      p[0] = uint8_t(std::clamp(r + n, 0, 255));
      p[1] = uint8_t(std::clamp(g + n, 0, 255));
      p[2] = uint8_t(std::clamp(b + n, 0, 255));
    }
  return img;
}

std::optional<fs::path> shared_data() {
  if (const char* env = std::getenv("TINY_DATA"); env && fs::is_directory(env)) return fs::path(env);
  fs::path p = fs::path(TINY_SOURCE_DIR).parent_path() / "shared" / "data";
  if (fs::is_directory(p)) return p;
  return std::nullopt;
}

RunResult run_tiny(const std::string& args, const std::string& input) {
  TempDir dir;
  std::string cmd = std::string("'") + TINY_EXE + "' " + args;
  if (!input.empty()) {
    write_file_atomic(dir.file("stdin"), input, true);
    cmd += " < '" + dir.file("stdin") + "'";
  } else {
    cmd += " < /dev/null";
  }
  cmd += " > '" + dir.file("stdout") + "' 2> '" + dir.file("stderr") + "'";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text_file(dir.file("stdout"));
  r.err = read_text_file(dir.file("stderr"));
  return r;
}

std::string compressai_unavailable(const std::string& script) {
  return bench::compressai_unavailable({bench::default_python(), std::string(TINY_SOURCE_DIR) + "/" + script});
}

std::string fake_python(const TempDir& dir, const std::string& body) {
  const std::string path = dir.file("python");
  write_file_atomic(path, "#!/bin/sh\n" + body, false);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

}  // namespace tiny::test
