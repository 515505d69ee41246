// `.tic` files decode on every machine: bitstreams encoded and decoded by separate `tiny` processes under
// every kernel selection that libraries make per machine — each OpenBLAS core type this processor can
// run, oneDNN's maximum ISA, ATen's CPU capability, 1 and 2 threads — must decode in every other
// process (the entropy parameters are bit-identical everywhere), be byte-identical to the reference
// process's where the analysis transform's kernels are the same, and (with --exact) give the same pixels.
#include "codec/codec.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/encode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tiny;
namespace fs = std::filesystem;

namespace {

// One way the libraries below tiny can pick their kernels.
struct Environment {
  std::string name;
  std::vector<std::pair<std::string, std::string>> vars;
  int threads = 2;
};

const char* const kKernelVariables[] = {"OPENBLAS_CORETYPE", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA",
                                        "ATEN_CPU_CAPABILITY"};

std::string cpu_flags() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("flags", 0) == 0) return line + " ";
  return "";
}

bool has(const std::string& flags, const std::string& need) {
  std::istringstream words(need);
  std::string w;
  while (words >> w)
    if (flags.find(" " + w + " ") == std::string::npos) return false;
  return true;
}

// Every environment of the matrix that this processor can run (kernels it lacks would not start).
std::vector<Environment> environments() {
  const std::string flags = cpu_flags();
  std::vector<Environment> envs = {{"reference", {}, 2}, {"1 thread", {}, 1}};
#if defined(__x86_64__)
  // The x86-64 core types of OpenBLAS's dynamic-architecture builds, with the instructions each needs
  // (OpenBLAS does not check them when the core type is forced: Opteron's kernels use 3DNow!, the
  // Bulldozer family's FMA4).
  const std::pair<const char*, const char*> core_types[] = {
      {"Prescott", "sse3"},      {"Core2", "ssse3"},          {"Penryn", "sse4_1"},       {"Dunnington", "sse4_1"},
      {"Nehalem", "sse4_2"},     {"Atom", "ssse3"},           {"Nano", "sse3"},           {"Opteron", "sse2 3dnow"},
      {"Barcelona", "sse4a"},    {"Bobcat", "sse4a ssse3"},   {"Sandybridge", "avx"},     {"Bulldozer", "avx fma4"},
      {"Piledriver", "avx fma4"}, {"Steamroller", "avx fma4"}, {"Excavator", "avx2 fma4"},  {"Haswell", "avx2 fma"},
      {"Zen", "avx2 fma"},       {"SkylakeX", "avx512f avx512bw avx512dq avx512vl"},
      {"Cooperlake", "avx512f avx512bw avx512dq avx512vl avx512_bf16"}};
  for (const auto& [name, need] : core_types)
    if (has(flags, need)) envs.push_back({fmt::format("OpenBLAS {}", name), {{"OPENBLAS_CORETYPE", name}}});
  const std::pair<const char*, const char*> isas[] = {
      {"SSE41", "sse4_1"}, {"AVX", "avx"}, {"AVX2", "avx2"}, {"AVX512_CORE", "avx512f avx512bw avx512dq avx512vl"},
      {"AVX512_CORE_AMX", "avx512f avx512bw avx512dq avx512vl amx_tile amx_int8 amx_bf16"}};
  for (const auto& [isa, need] : isas)
    if (has(flags, need))
      envs.push_back({fmt::format("oneDNN {}", isa), {{"ONEDNN_MAX_CPU_ISA", isa}, {"DNNL_MAX_CPU_ISA", isa}}});
  const std::pair<const char*, const char*> capabilities[] = {
      {"default", ""}, {"avx2", "avx2 fma"}, {"avx512", "avx512f avx512bw avx512dq avx512vl"}};
  for (const auto& [cap, need] : capabilities)
    if (has(flags, need)) envs.push_back({fmt::format("ATen {}", cap), {{"ATEN_CPU_CAPABILITY", cap}}});
  envs.push_back({"all lowest",
                  {{"OPENBLAS_CORETYPE", "Prescott"}, {"ONEDNN_MAX_CPU_ISA", "SSE41"}, {"DNNL_MAX_CPU_ISA", "SSE41"},
                   {"ATEN_CPU_CAPABILITY", "default"}},
                  1});
  if (has(flags, "avx512f avx512bw avx512dq avx512vl avx512_bf16"))
    envs.push_back({"all highest",
                    {{"OPENBLAS_CORETYPE", "Cooperlake"}, {"ONEDNN_MAX_CPU_ISA", "AVX512_CORE"},
                     {"DNNL_MAX_CPU_ISA", "AVX512_CORE"}, {"ATEN_CPU_CAPABILITY", "avx512"}},
                    2});
#endif
  return envs;
}

// Runs tiny with exactly this environment's kernel variables (none of the machine's own).
test::RunResult run_in(const Environment& env, const std::string& args) {
  for (const char* v : kKernelVariables) unsetenv(v);
  for (const auto& [k, v] : env.vars) setenv(k.c_str(), v.c_str(), 1);
  test::RunResult r = test::run_tiny(fmt::format("--threads {} {}", env.threads, args));
  for (const char* v : kKernelVariables) unsetenv(v);
  return r;
}

// Kodak images if the shared data has them (the set `tiny bench kodak` measures), else generated ones.
std::vector<std::string> test_images(const test::TempDir& dir, size_t count) {
  std::vector<std::string> paths;
  if (auto data = test::shared_data(); data && fs::is_directory(*data / "kodak")) {
    for (const auto& e : fs::directory_iterator(*data / "kodak"))
      if (e.path().extension() == ".png") paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
  } else {
    MESSAGE("no ../shared/data/kodak: generated 768x512 images instead");
    for (unsigned i = 0; i < 4; ++i) {
      paths.push_back(dir.file(fmt::format("generated{}.png", i)));
      image::write_image(paths.back(), test::make_test_image(768, 512, i + 1), false);
    }
  }
  if (paths.size() > count) paths.resize(count);
  return paths;
}

std::string quoted(const std::vector<std::string>& paths) {
  std::string s;
  for (const auto& p : paths) s += " '" + p + "'";
  return s;
}

// The shipped models (by name), and a small random model of every other architecture, saved by this
// process (random initialisation itself follows ATen's kernels), coding a small image.
const char* const kShipped[] = {"mbt2018-mean-q1", "mbt2018-mean-q2", "mbt2018-mean-q3", "mbt2018-mean-q4"};
const char* const kUntrained[] = {"bmshj2018-factorized", "bmshj2018-hyperprior", "mbt2018", "cheng2020-anchor",
                                  "cheng2020-attn"};

void save_untrained_models(const test::TempDir& dir) {
  for (const char* a : kUntrained)
    codec::Codec::untrained({a, 1, 32, 32, codec::zoo_lambda(1)}, 3).save(dir.file(std::string(a) + ".tmodel"), false, false);
}

// Encodes `images` with the shipped `models` and `small_image` with the saved random models (if `random`)
// in `env`, into dir/<out>/<model>/; returns the .tic files, in that order.
std::vector<std::string> encode_all(const Environment& env, const test::TempDir& dir, const std::string& out,
                                    const std::vector<std::string>& images, const std::vector<std::string>& models,
                                    const std::string& small_image, bool random) {
  std::vector<std::string> tics;
  auto encode = [&](const std::string& model, const std::string& folder, const std::vector<std::string>& in) {
    const std::string target = dir.file(out + "/" + folder);
    const auto r = run_in(env, fmt::format("compress -m '{}' {} -o '{}/' -q", model, quoted(in), target));
    REQUIRE_MESSAGE(r.exit_code == 0, env.name, ": ", r.err);
    for (const auto& i : in) tics.push_back(target + "/" + fs::path(i).stem().string() + ".tic");
  };
  for (const auto& m : models) encode(m, m, images);
  if (random)
    for (const char* a : kUntrained) encode(dir.file(std::string(a) + ".tmodel"), a, {small_image});
  return tics;
}

// Whether an environment varies only the OpenBLAS core type (the slower checks skip those: the
// extreme environments change the core type too).
bool core_type_only(const Environment& env) { return env.name.rfind("OpenBLAS", 0) == 0; }

}  // namespace

TEST_CASE("bitstreams encoded under every kernel variation decode everywhere; only oneDNN's ISA changes bytes") {
  test::TempDir dir;
  const std::vector<std::string> images = test_images(dir, 1);
  const std::string small = dir.file("small.png");
  image::write_image(small, test::make_test_image(192, 128, 7), false);
  save_untrained_models(dir);
  const auto envs = environments();
  const std::vector<std::string> shipped = {"mbt2018-mean-q3"};
  const std::vector<std::string> reference = encode_all(envs[0], dir, "reference", images, shipped, small, true);
  for (size_t e = 1; e < envs.size(); ++e) {
    CAPTURE(envs[e].name);
    const bool random = !core_type_only(envs[e]);
    const auto tics = encode_all(envs[e], dir, fmt::format("env{}", e), images, shipped, small, random);
    // The analysis transform runs on oneDNN, whose kernels per ISA may round y differently: the
    // encoder's choice, which the bitstream records. Everything else leaves the bytes as they were.
    const bool onednn_isa = std::any_of(envs[e].vars.begin(), envs[e].vars.end(),
                                        [](const auto& v) { return v.first == "ONEDNN_MAX_CPU_ISA"; });
    for (size_t i = 0; i < tics.size(); ++i) {
      CAPTURE(tics[i]);
      if (!onednn_isa) CHECK(read_file(tics[i]) == read_file(reference[i]));
      // and the reference process decodes what this one encoded
      const std::string model = i < images.size() ? shipped[0] : dir.file(std::string(kUntrained[i - images.size()]) + ".tmodel");
      const auto r = run_in(envs[0], fmt::format("decompress --test -q -m '{}' '{}'", model, tics[i]));
      CHECK_MESSAGE(r.exit_code == 0, r.err);
    }
  }
}

TEST_CASE("every shipped model's files decode under every variation of the machine's kernels") {
  test::TempDir dir;
  const std::vector<std::string> images = test_images(dir, 24);
  const std::string small = dir.file("small.png");
  image::write_image(small, test::make_test_image(192, 128, 7), false);
  save_untrained_models(dir);
  const auto envs = environments();
  const std::vector<std::string> tics =
      encode_all(envs[0], dir, "reference", images, {std::begin(kShipped), std::end(kShipped)}, small, true);
  for (const Environment& env : envs) {
    CAPTURE(env.name);
    // every file in the two extreme environments; two per shipped model elsewhere (the rest is the same code)
    const size_t shipped_files = std::size(kShipped) * images.size();
    const bool all = env.name.rfind("all ", 0) == 0;
    std::vector<std::string> shipped;
    for (size_t i = 0; i < shipped_files; ++i)
      if (all || i % images.size() < 2) shipped.push_back(tics[i]);
    auto r = run_in(env, "decompress --test --json" + quoted(shipped));
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(parse_json(r.out, "stdout")["files"].size() == shipped.size());
    // the random models' files need their model file (-m), a process each: in every environment but
    // the single OpenBLAS core types (the extreme environments cover those)
    if (core_type_only(env)) continue;
    for (const char* a : kUntrained) {
      r = run_in(env, fmt::format("decompress --test -q -m '{}' '{}'", dir.file(std::string(a) + ".tmodel"),
                                  dir.file(fmt::format("reference/{}/small.tic", a))));
      CHECK_MESSAGE(r.exit_code == 0, a, ": ", r.err);
    }
  }
}

TEST_CASE("--exact reconstructions are the same pixels whatever the machine's kernels and threads") {
  test::TempDir dir;
  const std::vector<std::string> images = test_images(dir, 1);
  const auto envs = environments();
  const auto r = run_in(envs[0], fmt::format("compress -m mbt2018-mean-q3 '{}' -o '{}' -q", images[0], dir.file("a.tic")));
  REQUIRE(r.exit_code == 0);
  Bytes reference;
  for (const Environment& env : envs) {
    if (env.name != "reference" && env.name != "1 thread" && env.name.rfind("all ", 0) != 0 &&
        env.name.rfind("oneDNN", 0) != 0)
      continue;  // the synthesis runs no BLAS or ATen kernel: the oneDNN and thread variations are the ones that matter
    CAPTURE(env.name);
    const std::string png = dir.file(fmt::format("exact{}.png", reference.empty() ? 0 : 1));
    const auto d = run_in(env, fmt::format("decompress --exact '{}' -o '{}' --force -q", dir.file("a.tic"), png));
    REQUIRE_MESSAGE(d.exit_code == 0, d.err);
    if (reference.empty())
      reference = read_file(png);
    else
      CHECK(read_file(png) == reference);
  }
}
