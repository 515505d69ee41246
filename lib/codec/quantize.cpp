#include "codec/quantize.hpp"

#include "core/text.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tiny::codec {
namespace {

constexpr size_t kBlock = 32;  // values per q4 block

template <typename T>
void append(Bytes& out, T v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

Quantization parse_quantization(const std::string& name) {
  if (name == "none") return Quantization::none;
  if (name == "int8") return Quantization::int8;
  if (name == "q4") return Quantization::q4;
  throw UsageError(fmt::format("unknown quantization '{}' (none, int8, q4)", name));
}

bool quantizable(const TensorRecord& r) {
  const bool stored = r.dtype == DType::f32 || r.dtype == DType::f16 || r.dtype == DType::q8 || r.dtype == DType::q4;
  const bool entropy_model = r.name.rfind("entropy_bottleneck.", 0) == 0 || r.name.rfind("gaussian_conditional.", 0) == 0;
  return stored && r.shape.size() >= 2 && ends_with(r.name, ".weight") && !entropy_model && element_count(r.shape) > 0;
}

float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    exponent = 113;
    while (!(mantissa & 0x400)) mantissa <<= 1, --exponent;
    bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t float_to_half(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  const uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs >= 0x7f800000u) return uint16_t(sign | 0x7c00 | (abs > 0x7f800000u ? 0x200 : 0));  // inf, nan
  if (abs >= 0x477ff000u) return uint16_t(sign | 0x7c00);                                        // overflow
  if (abs < 0x38800000u) {  // subnormal or zero in half: round abs / 2^-24 to nearest even
    const float scaled = std::nearbyint(std::fabs(value) * 16777216.0f);
    return uint16_t(sign | uint16_t(scaled));
  }
  const uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);  // round to nearest even at bit 13
  return uint16_t(sign | ((rounded - 0x38000000u) >> 13));
}

std::vector<float> dequantize(const TensorRecord& r) {
  const size_t n = element_count(r.shape);
  std::vector<float> out(n);
  switch (r.dtype) {
    case DType::f32:
      std::memcpy(out.data(), r.data.data(), n * 4);
      break;
    case DType::f16:
      for (size_t i = 0; i < n; ++i) out[i] = half_to_float(load<uint16_t>(r.data.data() + 2 * i));
      break;
    case DType::q8: {
      const size_t channels = size_t(r.shape[0]), per = n / channels;
      const uint8_t* codes = r.data.data() + 4 * channels;
      for (size_t c = 0; c < channels; ++c) {
        const float scale = load<float>(r.data.data() + 4 * c);
        for (size_t i = 0; i < per; ++i) out[c * per + i] = scale * float(int8_t(codes[c * per + i]));
      }
      break;
    }
    case DType::q4:
      for (size_t b = 0; b * kBlock < n; ++b) {
        const uint8_t* block = r.data.data() + b * (2 + kBlock / 2);
        const float scale = half_to_float(load<uint16_t>(block));
        for (size_t i = 0; i < kBlock && b * kBlock + i < n; ++i) {
          const int code = (block[2 + i / 2] >> (4 * (i % 2))) & 0xf;
          out[b * kBlock + i] = scale * float(code - 8);
        }
      }
      break;
    case DType::lr: {
      uint32_t rank, factors;
      std::memcpy(&rank, r.data.data(), 4);
      std::memcpy(&factors, r.data.data() + 4, 4);
      const size_t rows = size_t(r.shape[0]), cols = n / rows;
      const DType f = DType(factors);
      const uint8_t* u = r.data.data() + 8;
      const uint8_t* v = u + rows * rank * dtype_size(f);
      auto at = [f](const uint8_t* p, size_t i) {
        return f == DType::f16 ? half_to_float(load<uint16_t>(p + 2 * i)) : load<float>(p + 4 * i);
      };
      for (size_t i = 0; i < rows; ++i)
        for (size_t k = 0; k < rank; ++k) {
          const float uik = at(u, i * rank + k);
          float* row = out.data() + i * cols;
          for (size_t j = 0; j < cols; ++j) row[j] += uik * at(v, k * cols + j);
        }
      break;
    }
    case DType::i32:
      throw Error(fmt::format("tensor '{}' holds integers, not weights", r.name));
  }
  return out;
}

TensorRecord quantize_int8(const TensorRecord& r) {
  const std::vector<float> v = dequantize(r);
  const size_t channels = size_t(r.shape[0]), per = v.size() / channels;
  TensorRecord q{r.name, DType::q8, r.shape, {}};
  q.data.reserve(4 * channels + v.size());
  std::vector<float> scales(channels);
  for (size_t c = 0; c < channels; ++c) {
    float peak = 0;
    for (size_t i = 0; i < per; ++i) peak = std::max(peak, std::fabs(v[c * per + i]));
    scales[c] = peak / 127.0f;
    append(q.data, scales[c]);
  }
  for (size_t c = 0; c < channels; ++c)
    for (size_t i = 0; i < per; ++i) {
      const float code = scales[c] > 0 ? std::nearbyint(v[c * per + i] / scales[c]) : 0.0f;
      q.data.push_back(uint8_t(int8_t(std::clamp(code, -127.0f, 127.0f))));
    }
  return q;
}

namespace {

// The 4-bit code (0..15, value = scale * (code - 8)) nearest to v.
uint8_t q4_code(float v, float scale) {
  const float code = scale != 0 ? std::nearbyint(v / scale) + 8.0f : 8.0f;
  return uint8_t(std::clamp(code, 0.0f, 15.0f));
}

// The float16 scale of one block with the least squared error: the value of largest magnitude is
// mapped to codes from -8 to -6 or from 6 to 7 (the codes are -8..7, so the two signs differ), in
// steps of 1/8, and the candidate reconstructing the block best wins (the first one on ties).
uint16_t best_q4_scale(const float* v, size_t n) {
  float extreme = 0;
  for (size_t i = 0; i < n; ++i)
    if (std::fabs(v[i]) > std::fabs(extreme)) extreme = v[i];
  uint16_t best = float_to_half(extreme / -8.0f);
  double best_error = -1;
  for (int step = 0; step <= 24; ++step) {
    const float target = step <= 16 ? -8.0f + 0.125f * float(step) : 6.0f + 0.125f * float(step - 16);
    const uint16_t candidate = float_to_half(extreme / target);
    const float scale = half_to_float(candidate);
    double error = 0;
    for (size_t i = 0; i < n; ++i) {
      const double d = double(v[i]) - double(scale) * (int(q4_code(v[i], scale)) - 8);
      error += d * d;
    }
    if (best_error < 0 || error < best_error) best_error = error, best = candidate;
  }
  return best;
}

}  // namespace

TensorRecord quantize_q4(const TensorRecord& r) {
  const std::vector<float> v = dequantize(r);
  TensorRecord q{r.name, DType::q4, r.shape, {}};
  for (size_t start = 0; start < v.size(); start += kBlock) {
    const size_t end = std::min(v.size(), start + kBlock);
    const uint16_t half_scale = best_q4_scale(v.data() + start, end - start);
    const float scale = half_to_float(half_scale);
    append(q.data, half_scale);
    uint8_t packed[kBlock / 2] = {};
    for (size_t i = start; i < end; ++i) packed[(i - start) / 2] |= uint8_t(q4_code(v[i], scale) << (4 * ((i - start) % 2)));
    q.data.insert(q.data.end(), packed, packed + kBlock / 2);
  }
  return q;
}

QuantizeCount quantize_model(ModelFile& model, Quantization q) {
  QuantizeCount count;
  if (q == Quantization::none) return count;
  const DType target = q == Quantization::int8 ? DType::q8 : DType::q4;
  for (auto& t : model.tensors) {
    if (!quantizable(t)) continue;
    if (t.dtype == target) {
      ++count.unchanged;
      continue;
    }
    count.requantized += t.dtype == DType::q8 || t.dtype == DType::q4;
    t = q == Quantization::int8 ? quantize_int8(t) : quantize_q4(t);
    ++count.converted;
  }
  return count;
}

}  // namespace tiny::codec
