// libFuzzer target: see fuzz_tiny_decoder_entry.hpp (build with -DTINY_FUZZ=ON and clang).
#include "fuzz_tiny_decoder_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tiny::fuzz::fuzz_tiny_decoder_one(data, size);
  return 0;
}
