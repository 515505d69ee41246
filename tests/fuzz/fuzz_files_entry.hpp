#pragma once
// Entry points of the fuzz targets for tiny's own file parsers (model files, JSON documents,
// safetensors), shared by the libFuzzer executables and the corpus replay in ctest.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Parses the bytes as a .tmodel and describes it and its weights; must never crash or allocate without bound.
void fuzz_model_one(const uint8_t* data, size_t size);
// Parses the bytes as JSON with tiny's checks (depth, repeated keys) and as a training configuration.
void fuzz_json_one(const uint8_t* data, size_t size);
// Parses the bytes as a safetensors file.
void fuzz_safetensors_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
