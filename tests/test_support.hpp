#pragma once
// Helpers shared by the tests: temporary folders, generated images, the shared data folder,
// and running the built `tiny` binary.
#include "image/image.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace tiny::test {

// A fresh temporary folder, removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Path of a file inside the folder.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

// A deterministic test picture (gradients, edges and texture) of the given size.
image::Image make_test_image(int width, int height, unsigned seed = 1);
// The folder with the shared data sets ($TINY_DATA, else ../shared/data beside the repo), if present.
std::optional<std::filesystem::path> shared_data();

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the built tiny with the given shell-quoted arguments; stdin from `input` if not empty.
RunResult run_tiny(const std::string& args, const std::string& input = "");
// Why the default interpreter cannot run the shipped CompressAI script `script` (empty when it can).
std::string compressai_unavailable(const std::string& script);
// An executable shell script `dir`/python running `body`: a stand-in for a Python interpreter.
std::string fake_python(const TempDir& dir, const std::string& body);

}  // namespace tiny::test
