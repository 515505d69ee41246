#pragma once
// safetensors files: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}} and the raw little-endian data.
#include "codec/model_file.hpp"

#include <map>
#include <string>
#include <vector>

namespace tiny::convert {

struct SafeTensors {
  std::vector<codec::TensorRecord> tensors;
  std::map<std::string, std::string> metadata;
};

// Parses safetensors bytes (F32, F16, BF16, F64 become float32/float16 records, I64/I32/I16/I8/U8/BOOL int32);
// `name` appears in errors.
SafeTensors parse_safetensors(const Bytes& data, const std::string& name);
// Reads a safetensors file.
SafeTensors read_safetensors(const std::string& path);
// The bytes of a safetensors file holding the records (float32 "F32", float16 "F16", int32 "I32").
Bytes safetensors_bytes(const SafeTensors& file);
// Writes a safetensors file atomically.
void write_safetensors(const std::string& path, const SafeTensors& file, bool overwrite);

}  // namespace tiny::convert
