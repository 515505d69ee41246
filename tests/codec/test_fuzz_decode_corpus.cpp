// Replays the full-decode fuzz corpus (tests/fuzz/corpus_decode) through the fuzz target's entry
// point, and checks that its seeds are still `.tic` files of the target's models (rerun
// fuzz_make_seeds when a model change makes them stale).
#include "../fuzz/fuzz_decode_entry.hpp"
#include "fuzz_replay.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tiny;

TEST_CASE("fuzz: the decode corpus replays through the fuzz entry point without crashing") {
  CHECK(test::replay_corpus("corpus_decode", fuzz::fuzz_decode_one, 13, 5) >= 10);
}

TEST_CASE("fuzz: every decode seed decodes with one of the fuzz target's models") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(TINY_SOURCE_DIR) + "/tests/fuzz/corpus_decode")) {
    CAPTURE(e.path().string());
    const Bytes tic = read_file(e.path().string());
    size_t decoded = 0;
    for (const auto& codec : fuzz::decode_codecs()) {
      try {
        const image::Image img = codec.decompress(tic, e.path().string());
        CHECK(uint64_t(img.width) * uint64_t(img.height) <= fuzz::kDecodeMaxPixels);
        ++decoded;
      } catch (const Error&) {
      }
    }
    CHECK(decoded == 1);
  }
}
