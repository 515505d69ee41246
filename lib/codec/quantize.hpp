#pragma once
// Weight quantization of `.tmodel` files: per-channel int8 and 4-bit blocks for the transforms'
// convolution weights, dequantized to float32 at load. The entropy models stay exact. Byte layouts
// in docs/formats.md. No torch here.
#include "codec/model_file.hpp"

#include <string>
#include <vector>

namespace tiny::codec {

enum class Quantization { none, int8, q4 };

// Parses "none", "int8" or "q4"; throws tiny::UsageError otherwise.
Quantization parse_quantization(const std::string& name);
// True for the tensors quantization applies to: weights (rank >= 2, name ending in ".weight") outside
// the entropy models, stored as float (f32, f16) or already quantized (q8, q4).
bool quantizable(const TensorRecord& record);
// The record stored as int8 with one float32 scale per output channel (dtype q8).
TensorRecord quantize_int8(const TensorRecord& record);
// The record stored as blocks of 32 values: a float16 scale and 32 4-bit codes (dtype q4), each
// block's scale chosen for the least squared error.
TensorRecord quantize_q4(const TensorRecord& record);
// What quantize_model did to the model's quantizable tensors.
struct QuantizeCount {
  size_t converted = 0;    // stored anew in the chosen layout
  size_t requantized = 0;  // of those, the ones quantized before (requantized from their dequantized values)
  size_t unchanged = 0;    // already in the chosen layout, kept as they were
};
// Quantizes every quantizable tensor of the model: float ones, and quantized ones of the other layout
// from their dequantized values.
QuantizeCount quantize_model(ModelFile& model, Quantization q);
// The values of a float, quantized or low-rank record (f32, f16, q8, q4, lr) as float32, row-major.
std::vector<float> dequantize(const TensorRecord& record);
// float16 bits to float32 and back (round to nearest even).
float half_to_float(uint16_t bits);
uint16_t float_to_half(float value);

}  // namespace tiny::codec
