#include "fuzz_files_entry.hpp"

#include "codec/model_file.hpp"
#include "codec/quantize.hpp"
#include "convert/safetensors.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"

#include <string_view>

namespace tiny::fuzz {

void fuzz_model_one(const uint8_t* data, size_t size) {
  try {
    const codec::ModelFile m = codec::parse_model(Bytes(data, data + size), "fuzz.tmodel");
    codec::describe_model(m);
    for (const auto& t : m.tensors)
      if (t.dtype != codec::DType::i32) codec::dequantize(t);
  } catch (const Error&) {
  }
}

void fuzz_json_one(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Json j = parse_json(text, "fuzz.json");
    j.dump();
    if (j.is_object()) check_known_keys(j, {"model", "data", "steps"}, "fuzz.json");
  } catch (const Error&) {
  }
  parse_json_or_discard(text, "fuzz.jsonl");
}

void fuzz_safetensors_one(const uint8_t* data, size_t size) {
  try {
    convert::parse_safetensors(Bytes(data, data + size), "fuzz.safetensors");
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
