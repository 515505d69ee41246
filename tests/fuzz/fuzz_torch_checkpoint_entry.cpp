#include "fuzz_torch_checkpoint_entry.hpp"

#include "convert/checkpoint.hpp"
#include "core/error.hpp"

namespace tiny::fuzz {

void fuzz_torch_checkpoint_one(const uint8_t* data, size_t size) {
  try {
    convert::parse_torch_checkpoint(Bytes(data, data + size), "fuzz.pth");
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
