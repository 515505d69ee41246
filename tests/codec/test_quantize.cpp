// Weight quantization: float16 conversion, int8 and q4 layouts and errors, quantized model files.
#include "codec/codec.hpp"
#include "codec/quantize.hpp"
#include "codec_fixtures.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace tiny;
using namespace tiny::codec;

namespace {

TensorRecord float_record(const std::string& name, std::vector<int64_t> shape, const std::vector<float>& values) {
  TensorRecord r{name, DType::f32, std::move(shape), Bytes(values.size() * 4)};
  std::memcpy(r.data.data(), values.data(), r.data.size());
  return r;
}

std::vector<float> random_values(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::vector<float> v(n);
  for (auto& x : v) x = normal(rng);
  return v;
}

}  // namespace

TEST_CASE("float16 conversion is exact where representable and rounds to nearest even") {
  for (float v : {0.0f, 1.0f, -2.5f, 65504.0f, 0.000061035156f, 5.9604645e-8f, -0.33325195f})
    CHECK(half_to_float(float_to_half(v)) == v);
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(half_to_float(float_to_half(1.0f + std::ldexp(1.0f, -11))) == 1.0f);  // tie: to even
  CHECK(half_to_float(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11))) == 1.0f + std::ldexp(1.0f, -9));
  CHECK(std::isinf(half_to_float(float_to_half(1e6f))));
  CHECK(std::isnan(half_to_float(float_to_half(NAN))));
}

TEST_CASE("int8 per channel: one scale per output channel, error at most half a step") {
  std::vector<float> v = random_values(6 * 3 * 3 * 3, 1);
  std::fill(v.begin() + 27, v.begin() + 54, 0.0f);  // an all-zero channel
  TensorRecord r = float_record("g_a.0.weight", {6, 3, 3, 3}, v);
  REQUIRE(quantizable(r));
  TensorRecord q = quantize_int8(r);
  CHECK(q.dtype == DType::q8);
  CHECK(q.data.size() == tensor_bytes(DType::q8, q.shape));
  CHECK(q.data.size() == 6 * 4 + v.size());
  std::vector<float> back = dequantize(q);
  for (size_t c = 0; c < 6; ++c) {
    float peak = 0;
    for (size_t i = 0; i < 27; ++i) peak = std::max(peak, std::fabs(v[c * 27 + i]));
    for (size_t i = 0; i < 27; ++i) CHECK(std::fabs(back[c * 27 + i] - v[c * 27 + i]) <= peak / 127 / 2 * 1.0001f);
  }
  CHECK(back[30] == 0.0f);
}

TEST_CASE("q4 blocks: 18 bytes per 32 values, error at most one step, a partial last block") {
  std::vector<float> v = random_values(100, 2);
  TensorRecord q = quantize_q4(float_record("g_s.0.weight", {4, 25}, v));
  CHECK(q.dtype == DType::q4);
  CHECK(q.data.size() == 4 * 18);  // ceil(100 / 32) blocks: 4.5 bits per weight on full blocks
  std::vector<float> back = dequantize(q);
  REQUIRE(back.size() == v.size());
  for (size_t b = 0; b * 32 < v.size(); ++b) {
    float peak = 0;
    for (size_t i = b * 32; i < std::min(v.size(), b * 32 + 32); ++i) peak = std::max(peak, std::fabs(v[i]));
    for (size_t i = b * 32; i < std::min(v.size(), b * 32 + 32); ++i)
      CHECK(std::fabs(back[i] - v[i]) <= peak / 8 * 1.001f);
  }
}

TEST_CASE("q4 scales are chosen for the least squared error: never worse than mapping the peak to -8") {
  std::vector<float> v = random_values(32 * 64, 3);
  std::vector<float> back = dequantize(quantize_q4(float_record("g_s.0.weight", {64, 32}, v)));
  double searched = 0, peak_rule = 0;
  for (size_t b = 0; b < 64; ++b) {
    float extreme = 0;
    for (size_t i = b * 32; i < b * 32 + 32; ++i)
      if (std::fabs(v[i]) > std::fabs(extreme)) extreme = v[i];
    const float scale = half_to_float(float_to_half(extreme / -8.0f));
    for (size_t i = b * 32; i < b * 32 + 32; ++i) {
      const float code = std::clamp(std::nearbyint(v[i] / scale), -8.0f, 7.0f);
      peak_rule += std::pow(double(v[i]) - double(scale) * code, 2);
      searched += std::pow(double(v[i]) - double(back[i]), 2);
    }
  }
  CHECK(searched <= peak_rule);
}

TEST_CASE("only the transforms' weights are quantized; the entropy models and biases stay exact") {
  CHECK_FALSE(quantizable(float_record("g_a.0.bias", {4}, std::vector<float>(4))));
  CHECK_FALSE(quantizable(float_record("entropy_bottleneck._matrix0.weight", {4, 3}, std::vector<float>(12))));
  CHECK_FALSE(quantizable(float_record("g_a.1.gamma", {4, 4}, std::vector<float>(16))));
  CHECK(parse_quantization("int8") == Quantization::int8);
  CHECK_THROWS_AS(parse_quantization("int3"), UsageError);
}

TEST_CASE("quantized weights are requantized from their values, weights already in the layout kept") {
  ModelFile m;
  m.tensors = {float_record("g_a.0.weight", {8, 3, 5, 5}, random_values(600, 7)),
               float_record("g_s.0.weight", {4, 8, 3, 3}, random_values(288, 8)),
               float_record("g_a.0.bias", {8}, random_values(8, 9))};
  const std::vector<float> original = dequantize(m.tensors[0]);
  QuantizeCount first = quantize_model(m, Quantization::int8);
  CHECK(first.converted == 2);
  CHECK(first.requantized == 0);
  const std::vector<float> int8_values = dequantize(m.tensors[0]);

  QuantizeCount q4 = quantize_model(m, Quantization::q4);
  CHECK(q4.converted == 2);
  CHECK(q4.requantized == 2);
  CHECK(q4.unchanged == 0);
  CHECK(m.tensors[0].dtype == DType::q4);
  CHECK(m.tensors[1].dtype == DType::q4);
  CHECK(m.tensors[2].dtype == DType::f32);
  CHECK(dequantize(m.tensors[0]) == dequantize(quantize_q4(float_record("g_a.0.weight", {8, 3, 5, 5}, int8_values))));
  double error = 0, peak = 0;
  const std::vector<float> back = dequantize(m.tensors[0]);
  for (size_t i = 0; i < original.size(); ++i)
    error = std::max(error, double(std::fabs(back[i] - original[i]))), peak = std::max(peak, double(std::fabs(original[i])));
  CHECK(error < peak / 4);

  QuantizeCount again = quantize_model(m, Quantization::q4);
  CHECK(again.converted == 0);
  CHECK(again.unchanged == 2);
}

TEST_CASE("quantized model files save, load, code images and shrink") {
  test::TempDir dir;
  const ArchConfig cfg = test::small_configs()[2];  // mbt2018-mean
  Codec::untrained(cfg, 4).save(dir.file("f.tmodel"), false, false);
  ModelFile f = read_model_file(dir.file("f.tmodel"));
  image::Image img = test::make_test_image(64, 64, 6);
  for (auto q : {Quantization::int8, Quantization::q4}) {
    ModelFile m = f;
    const size_t count = quantize_model(m, q).converted;
    CHECK(count > 0);
    const std::string path = dir.file(q == Quantization::int8 ? "i8.tmodel" : "q4.tmodel");
    write_model_file(path, m, false);
    ModelFile back = read_model_file(path);
    CHECK(back.hash == m.hash);
    nlohmann::json d = describe_model(back);
    CHECK(std::string(d["weights"]) == (q == Quantization::int8 ? "int8" : "q4"));
    CHECK(d["compressed_weights"][q == Quantization::int8 ? "int8" : "q4"] == count);
    CHECK(double(d["bits_per_weight"]) < (q == Quantization::int8 ? 9.0 : 5.0));
    for (const auto& t : back.tensors)
      if (t.name.rfind("entropy_bottleneck.", 0) == 0 || t.name.rfind("gaussian_conditional.", 0) == 0)
        CHECK((t.dtype == DType::f32 || t.dtype == DType::i32));
    Codec c = Codec::from_file(path);
    image::Image recon;
    Bytes tic = c.compress(img, &recon);
    CHECK(c.decompress(tic, "q.tic").pixels == recon.pixels);

    Bytes bytes = read_file(path);
    bytes.resize(bytes.size() - 20);
    CHECK_THROWS_AS(parse_model(bytes, "cut.tmodel"), Error);
  }
}
