// libFuzzer target: see fuzz_torch_checkpoint_entry.hpp (build with -DTINY_FUZZ=ON and clang).
#include "fuzz_torch_checkpoint_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tiny::fuzz::fuzz_torch_checkpoint_one(data, size);
  return 0;
}
