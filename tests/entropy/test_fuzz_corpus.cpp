// Replays the checked-in fuzz corpus (tests/fuzz/corpus) and generated seeds through the fuzz
// target's entry point, so the entry is exercised without clang/libFuzzer.
#include "../fuzz/fuzz_tic_entry.hpp"
#include "core/file_io.hpp"
#include "entropy/container.hpp"
#include "entropy/model_cdfs.hpp"
#include "entropy/rans.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("fuzz corpus replays through the fuzz entry point without crashing") {
  std::filesystem::path dir = std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz/corpus";
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    Bytes data = read_file(e.path().string());
    CHECK_NOTHROW(fuzz::fuzz_tic_one(data.data(), data.size()));
    // Every truncation and a bit flip per byte of each seed, too.
    for (size_t n = 0; n < data.size(); n += 3) CHECK_NOTHROW(fuzz::fuzz_tic_one(data.data(), n));
    for (size_t b = 0; b < data.size(); ++b) {
      Bytes flipped = data;
      flipped[b] ^= uint8_t(1u << (b % 8));
      CHECK_NOTHROW(fuzz::fuzz_tic_one(flipped.data(), flipped.size()));
    }
    ++files;
  }
  CHECK(files >= 3);
}

TEST_CASE("the checked-in valid seed decodes") {
  Bytes data = read_file(std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus/valid.tic");
  entropy::TicFile tic = entropy::read_tic(data, "valid.tic");
  REQUIRE(tic.substreams.size() == 2);
  entropy::RansTables tables(entropy::gaussian_cdfs({0.11f, 1.0f, 7.5f, 256.0f}));
  std::vector<int32_t> indexes(24);
  for (size_t i = 0; i < indexes.size(); ++i) indexes[i] = int32_t(i % 4);
  std::vector<int32_t> expected = {0, 1, -3, 40, 0, -1, 12, 300, 0, 2, 5, -700, 0, 0, 1 << 30, 2, 0, 1, -2, 9, 0, -1, 3, 0};
  CHECK(entropy::rans_decode_substreams(tic.substreams, indexes, tables) == expected);
}
