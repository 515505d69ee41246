#include "decoder/latents.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tiny::decoder {
namespace {

// A [h, w, C] latent coded channel-major with the factorized tables (symbol (c, y, x) uses table c),
// plus each channel's median.
kernels::FeatureMap decode_factorized(const ModelData& m, codec::SymbolSource& source, int64_t h, int64_t w) {
  const int channels = int(m.medians.size());
  const size_t plane = size_t(h) * size_t(w);
  std::vector<int32_t> indexes(plane * size_t(channels));
  for (int c = 0; c < channels; ++c) std::fill_n(indexes.begin() + ptrdiff_t(size_t(c) * plane), plane, c);
  const std::vector<int32_t> q = source.read(0, indexes);
  kernels::FeatureMap out(int(h), int(w), channels);
  for (int c = 0; c < channels; ++c)
    for (size_t i = 0; i < plane; ++i) out.data[i * size_t(channels) + size_t(c)] = float(q[size_t(c) * plane + i]) + m.medians[size_t(c)];
  return out;
}

// The table of a scale: the first table scale not below max(scale, floor), found as torch::bucketize
// finds it (so that a NaN takes the last table, as there).
int32_t table_index(const ModelData& m, float scale) {
  const float s = std::max(scale, m.scale_floor);
  size_t start = 0, end = m.scale_bounds.size();
  while (start < end) {
    const size_t mid = start + ((end - start) >> 1);
    if (!(m.scale_bounds[mid] >= s))
      start = mid + 1;
    else
      end = mid;
  }
  return int32_t(start);
}

// A variable-rate model's inverse gains at a real level: a level's own vector, or between two levels
// exp((1 - t) log|g_lo| + t log|g_hi|) in float, as the torch model computes them (libm's exp and log:
// the same to rounding, not bit for bit, at qualities between levels).
std::vector<float> inverse_gains(const ModelData& m, double level) {
  const int M = m.info.M;
  if (!(level >= 0 && level <= double(m.levels - 1)))
    throw Error(fmt::format("{}: rate level {} is outside 0..{}", m.info.arch, level, m.levels - 1));
  const int lo = std::min(int(level), m.levels - 1);
  const float t = float(level - double(lo)), u = float(1.0 - (level - double(lo)));
  std::vector<float> g(m.inverse_gains.begin() + ptrdiff_t(size_t(lo) * size_t(M)),
                       m.inverse_gains.begin() + ptrdiff_t(size_t(lo + 1) * size_t(M)));
  if (t == 0) return g;
  for (int c = 0; c < M; ++c) {
    const float a = u * std::log(std::fabs(g[size_t(c)]));
    const float b = t * std::log(std::fabs(m.inverse_gains[size_t(lo + 1) * size_t(M) + size_t(c)]));
    g[size_t(c)] = std::exp(a + b);
  }
  return g;
}

}  // namespace

kernels::FeatureMap decode_tile_latent(const ModelData& m, codec::SymbolSource& source, int64_t h, int64_t w,
                                       double level) {
  kernels::IeeeFloatScope ieee;
  if (!m.hyperprior) return decode_factorized(m, source, h, w);
  const kernels::FeatureMap z_hat = decode_factorized(m, source, h / 4, w / 4);
  const kernels::FeatureMap params = m.hyper_synthesis->forward(z_hat);
  const int M = m.info.M;
  if (params.height != h || params.width != w || params.channels != (m.means ? 2 * M : M))
    throw Error(fmt::format("the hyper-synthesis gave a {}x{}x{} output for a {}x{} latent", params.width,
                            params.height, params.channels, w, h));
  const size_t plane = size_t(h) * size_t(w);
  // Symbol (c, y, x), channel-major; the scales are the first M channels, the means the next M.
  std::vector<int32_t> indexes(plane * size_t(M));
  for (int c = 0; c < M; ++c)
    for (size_t i = 0; i < plane; ++i)
      indexes[size_t(c) * plane + i] = table_index(m, params.data[i * size_t(params.channels) + size_t(c)]);
  const std::vector<int32_t> q = source.read(1, indexes);
  std::vector<float> gains;
  if (m.levels > 0) gains = inverse_gains(m, level);
  kernels::FeatureMap y_hat(int(h), int(w), M);
  for (int c = 0; c < M; ++c)
    for (size_t i = 0; i < plane; ++i) {
      float v = float(q[size_t(c) * plane + i]);
      if (m.means) v = v + params.data[i * size_t(params.channels) + size_t(M + c)];
      if (m.levels > 0) v = v * gains[size_t(c)];
      y_hat.data[i * size_t(M) + size_t(c)] = v;
    }
  return y_hat;
}

}  // namespace tiny::decoder
