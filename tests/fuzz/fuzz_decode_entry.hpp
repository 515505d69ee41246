#pragma once
// The body of the full-decode fuzz target (`.tic` bytes to pixels with real models), shared by the
// libFuzzer binary (fuzz_decode), the corpus replay in test_codec and the seed generator.
#include "codec/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiny::fuzz {

// The largest image the target decodes: a larger claim only scales the time and memory a decode
// takes, which Codec bounds by kMaxPixels.
constexpr uint64_t kDecodeMaxPixels = 256 * 256;

// The bytes with their last four replaced by the CRC-32 of the rest, as write_tic seals a file, so
// that mutations reach the decoder in builds that check the CRC.
Bytes sealed(const uint8_t* data, size_t size);
// A model the target decodes with: untrained weights of `config`, seed 1.
codec::Codec make_decode_codec(const codec::ArchConfig& config);
// The models the target decodes with: make_decode_codec() of every architecture at the tests' small
// sizes (test::small_configs(): N = 8, M = 12; cheng2020 N = 12), built on first use.
const std::vector<codec::Codec>& decode_codecs();
// Re-seals the CRC of the bytes and decodes them to pixels with each model whose hash they name,
// when the image they claim is at most kDecodeMaxPixels. Rejected input (tiny::Error) is fine;
// anything else escapes.
void fuzz_decode_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
