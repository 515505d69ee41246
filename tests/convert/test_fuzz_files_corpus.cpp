// Replays the file parsers' fuzz corpora (tests/fuzz/corpus_{model,json,safetensors}) through the fuzz
// entry points — every seed, every truncation and a bit flip per byte — so they run without libFuzzer.
#include "../fuzz/fuzz_files_entry.hpp"
#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>

using namespace tiny;

namespace {

size_t replay(const std::string& corpus, const std::function<void(const uint8_t*, size_t)>& entry) {
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz" / corpus)) {
    const Bytes data = read_file(e.path().string());
    entry(data.data(), data.size());
    for (size_t n = 0; n < data.size(); n += 7) entry(data.data(), n);
    for (size_t b = 0; b < data.size(); ++b) {
      Bytes flipped = data;
      flipped[b] ^= uint8_t(1u << (b % 8));
      entry(flipped.data(), flipped.size());
    }
    ++files;
  }
  return files;
}

}  // namespace

TEST_CASE("the model-file, JSON and safetensors fuzz corpora replay without crashing") {
  CHECK(replay("corpus_model", fuzz::fuzz_model_one) >= 1);
  CHECK(replay("corpus_json", fuzz::fuzz_json_one) >= 2);
  CHECK(replay("corpus_safetensors", fuzz::fuzz_safetensors_one) >= 1);
}
