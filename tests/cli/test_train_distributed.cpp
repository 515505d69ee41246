#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

using namespace tiny;

namespace {

// The first `n` step lines of a metrics log.
std::vector<Json> step_lines(const std::string& path, size_t n) {
  std::vector<Json> lines;
  std::istringstream in(read_text_file(path));
  for (std::string line; std::getline(in, line) && lines.size() < n;) lines.push_back(parse_json(line, path));
  return lines;
}

}  // namespace

TEST_CASE("two ranks over loopback train identical weights and match a single process with the same batch") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("data"));
  for (int i = 0; i < 4; ++i)
    image::write_image(dir.file("data/" + std::to_string(i) + ".png"), test::make_test_image(80, 72, unsigned(i)), true);
  auto write_config = [&](const std::string& name) {
    Json j = {{"model", {{"arch", "mbt2018-mean"}, {"quality", 1}, {"N", 16}, {"M", 16}}},
              {"data", {{"train", dir.file("data")}, {"patch_size", 64}, {"batch_size", 4}, {"val_patch_size", 64}}},
              {"steps", 3},
              {"seed", 5},
              {"checkpoint_dir", dir.file(name)}};
    write_file_atomic(dir.file(name + ".json"), j.dump(), true);
    return dir.file(name + ".json");
  };
  const std::string ddp = write_config("ddp"), single = write_config("single");
  const int port = 20000 + int(getpid() % 20000);
  auto rank = [&](int r) {
    return fmt::format("WORLD_SIZE=2 RANK={} MASTER_ADDR=127.0.0.1 MASTER_PORT={} '{}' train --json --threads 1 "
                       "--config '{}' > '{}' 2> '{}'",
                       r, port, TINY_EXE, ddp, dir.file(fmt::format("rank{}.out", r)),
                       dir.file(fmt::format("rank{}.err", r)));
  };
  const std::string both = "(" + rank(1) + " & " + rank(0) + "; s=$?; wait $! && exit $s)";
  REQUIRE(std::system(both.c_str()) == 0);
  Json r0 = parse_json(read_text_file(dir.file("rank0.out")), "rank0");
  Json r1 = parse_json(read_text_file(dir.file("rank1.out")), "rank1");
  CHECK(r0["world_size"] == 2);
  CHECK(r1["rank"] == 1);
  CHECK(r0["weights_hash"] == r1["weights_hash"]);
  CHECK(r0["finished"] == true);
  CHECK(std::filesystem::exists(dir.file("ddp/last.ckpt")));
  CHECK(r1["model"] == "");

  auto one = test::run_tiny("train --json --threads 1 --config " + single);
  REQUIRE(one.exit_code == 0);
  // Same initial weights and the same global batch: the losses differ only by the quantization
  // noise each process draws.
  std::vector<Json> a = step_lines(dir.file("ddp/metrics.jsonl"), 2), b = step_lines(dir.file("single/metrics.jsonl"), 2);
  REQUIRE(a.size() == 2);
  REQUIRE(b.size() == 2);
  for (size_t i = 0; i < 2; ++i)
    CHECK(double(a[i]["mse"]) == doctest::Approx(double(b[i]["mse"])).epsilon(0.01));
}

TEST_CASE("a malformed launcher environment is a usage error naming the variable") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("data"));
  image::write_image(dir.file("data/a.png"), test::make_test_image(80, 72), true);
  Json j = {{"model", {{"arch", "mbt2018-mean"}}}, {"data", {{"train", dir.file("data")}}},
            {"checkpoint_dir", dir.file("run")}};
  write_file_atomic(dir.file("c.json"), j.dump(), true);
  const std::vector<std::string> envs = {"WORLD_SIZE=2 RANK=5", "WORLD_SIZE=two"};
  for (const std::string& env : envs) {
    const std::string cmd = fmt::format("{} '{}' train --config '{}' > /dev/null 2> '{}'", env, TINY_EXE,
                                        dir.file("c.json"), dir.file("err"));
    const int status = std::system(cmd.c_str());
    CHECK(WEXITSTATUS(status) == 2);
    const std::string err = read_text_file(dir.file("err"));
    CHECK(err.find(env.substr(env.rfind(' ') + 1, 6)) != std::string::npos);
  }
  CHECK(!std::filesystem::exists(dir.file("run/last.ckpt")));
}
