#pragma once
// The body of the `.tic` + rANS fuzz target, shared by the libFuzzer binary (fuzz_tic) and the corpus
// replay test that ctest runs in every build.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Parses the bytes as a .tic file and rANS-decodes each substream, and decodes the raw bytes as one
// rANS stream symbol by symbol. Rejected input (tiny::Error) is fine; anything else escapes.
void fuzz_tic_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
