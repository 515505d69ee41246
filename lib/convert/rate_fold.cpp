#include "convert/rate_fold.hpp"

#include "codec/quantize.hpp"
#include "codec/zoo.hpp"
#include "convert/tensor_convert.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tiny::convert {
namespace {

const codec::TensorRecord& find(const codec::ModelFile& m, const std::string& tensor, const std::string& name) {
  for (const auto& t : m.tensors)
    if (t.name == tensor) return t;
  throw Error(file_error(name, fmt::format("variable-rate model lacks tensor '{}'", tensor)));
}

// The gain vector at a real level (0-based) of a [levels, M] record.
std::vector<double> gains_at(const codec::TensorRecord& record, double level) {
  const std::vector<float> all = codec::dequantize(record);
  const size_t m = size_t(record.shape[1]), levels = size_t(record.shape[0]);
  const size_t lo = std::min(size_t(level), levels - 1);
  const double t = level - double(lo);
  std::vector<double> g(m);
  for (size_t c = 0; c < m; ++c)
    g[c] = t == 0 ? double(all[lo * m + c])
                  : std::exp((1 - t) * std::log(std::fabs(all[lo * m + c])) + t * std::log(std::fabs(all[(lo + 1) * m + c])));
  return g;
}

// A float32 copy of `record` with element i multiplied by scale[i / per_channel % scale.size()].
codec::TensorRecord scaled(const codec::TensorRecord& record, const std::vector<double>& scale, size_t per_channel) {
  std::vector<float> v = codec::dequantize(record);
  for (size_t i = 0; i < v.size(); ++i) v[i] = float(double(v[i]) * scale[(i / per_channel) % scale.size()]);
  return to_record(record.name, StorageType::f32, record.shape, reinterpret_cast<const uint8_t*>(v.data()),
                   record.name);
}

}  // namespace

codec::ModelFile fold_rate(const codec::ModelFile& model, double quality, const std::string& name) {
  const int levels = codec::rate_levels(model.arch);
  if (levels == 0)
    throw UsageError(file_error(name, fmt::format("{} is a fixed-rate model: there is no quality to fix", model.arch)));
  if (!(quality >= 0.0 && quality <= levels - 1))
    throw UsageError(file_error(name, fmt::format("quality {} is outside the model's 0..{}", quality, levels - 1)));
  const std::vector<double> gain = gains_at(find(model, "gain", name), quality),
                            inverse = gains_at(find(model, "inverse_gain", name), quality);
  const codec::TensorRecord& last = find(model, "g_a.6.weight", name);
  const size_t per_output = size_t(codec::element_count(last.shape)) / size_t(last.shape[0]);
  const size_t per_input = size_t(find(model, "g_s.0.weight", name).shape[2] * find(model, "g_s.0.weight", name).shape[3]);
  codec::ModelFile fixed = model;
  fixed.tensors.clear();
  for (const auto& t : model.tensors) {
    if (t.name == "gain" || t.name == "inverse_gain") continue;
    if (t.name == "g_a.6.weight")
      fixed.tensors.push_back(scaled(t, gain, per_output));
    else if (t.name == "g_a.6.bias")
      fixed.tensors.push_back(scaled(t, gain, 1));
    else if (t.name == "g_s.0.weight")  // [M inputs, N outputs, k, k]: input c spans N k k values
      fixed.tensors.push_back(scaled(t, inverse, per_input * size_t(t.shape[1])));
    else
      fixed.tensors.push_back(t);
  }
  // The nearest zoo quality (at least 1) names it; the lambda is the one its gains were interpolated at.
  fixed.arch = "mbt2018-mean";
  fixed.quality = std::max(1, int(std::lround(quality)));
  fixed.lambda = codec::ladder_lambda(quality, codec::zoo_lambda);
  fixed.provenance["fixed_from"] = {{"arch", model.arch}, {"quality", quality}};
  return fixed;
}

}  // namespace tiny::convert
