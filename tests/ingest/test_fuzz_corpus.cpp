// Replays the ingest fuzz corpus (tests/fuzz/corpus_ingest) through the fuzz target's entry point,
// with truncations and bit flips, so it runs in every build without clang/libFuzzer.
#include "../fuzz/fuzz_ingest_entry.hpp"
#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("ingest fuzz corpus replays through the fuzz entry point without crashing") {
  std::filesystem::path dir = std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz/corpus_ingest";
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    Bytes data = read_file(e.path().string());
    CHECK_NOTHROW(fuzz::fuzz_ingest_one(data.data(), data.size()));
    for (size_t n = 0; n < data.size(); n += 97) CHECK_NOTHROW(fuzz::fuzz_ingest_one(data.data(), n));
    for (size_t b = 0; b < std::min<size_t>(data.size(), 2048); b += 5) {
      Bytes flipped = data;
      flipped[b] ^= uint8_t(1u << (b % 8));
      CHECK_NOTHROW(fuzz::fuzz_ingest_one(flipped.data(), flipped.size()));
    }
    ++files;
  }
  CHECK(files >= 5);
}
