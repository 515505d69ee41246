// libFuzzer target for tiny's restricted pickle reader (lib/convert/pickle_reader.cpp): every input
// must parse or throw tiny::Error (build with -DTINY_FUZZ=ON and clang; corpus tests/fuzz/corpus_pickle).
#include "convert/pickle.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    tiny::convert::parse_pickle(tiny::Bytes(data, data + size), "fuzz.pkl");
  } catch (const tiny::Error&) {
  }
  return 0;
}
