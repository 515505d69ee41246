// libFuzzer target: see fuzz_video_entry.hpp (build with -DTINY_FUZZ=ON and clang).
#include "fuzz_video_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tiny::fuzz::fuzz_video_one(data, size);
  return 0;
}
