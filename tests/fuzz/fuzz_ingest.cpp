// libFuzzer target for the WebDataset tar reader and the URL-list parsers (build with -DTINY_FUZZ=ON and clang).
#include "fuzz_ingest_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tiny::fuzz::fuzz_ingest_one(data, size);
  return 0;
}
