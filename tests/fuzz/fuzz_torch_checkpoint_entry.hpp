#pragma once
// The body of the torch checkpoint fuzz target (the zip container through libtorch's reader, the
// pickle and every tensor materialized from its storage record), shared by the libFuzzer binary
// (fuzz_torch_checkpoint) and the corpus replay in test_convert.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Reads the bytes as a torch.save checkpoint's state_dict. Rejected input (tiny::Error) is fine;
// anything else escapes.
void fuzz_torch_checkpoint_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
