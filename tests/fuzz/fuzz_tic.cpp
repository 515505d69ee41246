// libFuzzer target for the .tic container and the rANS decoders (build with -DTINY_FUZZ=ON and clang).
#include "fuzz_tic_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tiny::fuzz::fuzz_tic_one(data, size);
  return 0;
}
