#include "fuzz_replay.hpp"

#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

namespace tiny::test {

size_t replay_corpus(const std::string& corpus, const FuzzEntry& entry, size_t stride, size_t flip_stride) {
  const std::filesystem::path dir = std::filesystem::path(TINY_SOURCE_DIR) / "tests/fuzz" / corpus;
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    CAPTURE(e.path().string());
    const Bytes data = read_file(e.path().string());
    CHECK_NOTHROW(entry(data.data(), data.size()));
    for (size_t n = 0; n < data.size(); n += stride) CHECK_NOTHROW(entry(data.data(), n));
    for (size_t b = 0; b < std::min<size_t>(data.size(), 2048); b += flip_stride) {
      Bytes flipped = data;
      flipped[b] ^= uint8_t(1u << (b % 8));
      CHECK_NOTHROW(entry(flipped.data(), flipped.size()));
    }
    ++files;
  }
  return files;
}

}  // namespace tiny::test
