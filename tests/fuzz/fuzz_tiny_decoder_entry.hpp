#pragma once
// The body of the differential fuzz target of the torch-free decoder (fuzz_tiny_decoder): `.tic` bytes
// decoded by libtiny_decoder and by the torch codec's exact path, with the full-decode target's models
// (fuzz_decode_entry.hpp), must give the same outcome — both refuse, or both give the same pixels.
// Shared by the libFuzzer binary and the corpus replay in test_decoder.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Re-seals the CRC of the bytes and decodes them with each model of a supported architecture whose
// hash they name (images up to kDecodeMaxPixels), both ways; aborts with a message if the two differ.
void fuzz_tiny_decoder_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
