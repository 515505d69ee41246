#include "kernels/layer_forms.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::kernels {

std::vector<Layer> subpixel_deconv_layers(const std::vector<float>& weight, const std::vector<float>& bias, int in,
                                          int out, int k) {
  if (k % 2 != 1 || k > 5 || in <= 0 || out <= 0)
    throw Error(fmt::format("transposed convolution: a {}x{} kernel has no sub-pixel form (odd, at most 5)", k, k));
  if (weight.size() != size_t(in) * size_t(out) * size_t(k) * size_t(k) || bias.size() != size_t(out))
    throw Error("transposed convolution: weight or bias size does not match its shape");
  const int p = k / 2;
  Layer conv;
  conv.kind = Layer::Kind::conv;
  conv.in = in, conv.out = 4 * out, conv.kernel = 3, conv.stride = 1, conv.pad = 1;
  conv.weight.assign(size_t(4) * size_t(out) * size_t(in) * 9, 0.0f);
  for (int ry = 0; ry < 2; ++ry)
    for (int rx = 0; rx < 2; ++rx)
      for (int t = 0; t < 3; ++t)
        for (int u = 0; u < 3; ++u) {
          // Output row 2q+ry reads input row q+(t-1) through kernel row ry + p - 2(t-1).
          const int ky = ry + p - 2 * (t - 1), kx = rx + p - 2 * (u - 1);
          if (ky < 0 || ky >= k || kx < 0 || kx >= k) continue;
          const int phase = ry * 2 + rx;
          for (int o = 0; o < out; ++o)
            for (int i = 0; i < in; ++i)
              conv.weight[((size_t(phase * out + o) * size_t(in) + size_t(i)) * 3 + size_t(t)) * 3 + size_t(u)] =
                  weight[((size_t(i) * size_t(out) + size_t(o)) * size_t(k) + size_t(ky)) * size_t(k) + size_t(kx)];
        }
  conv.bias.reserve(size_t(4) * size_t(out));
  for (int phase = 0; phase < 4; ++phase) conv.bias.insert(conv.bias.end(), bias.begin(), bias.end());
  Layer shuffle;
  shuffle.kind = Layer::Kind::pixel_shuffle;
  shuffle.out = out, shuffle.in = 4 * out, shuffle.factor = 2, shuffle.phase_major = true;
  return {conv, shuffle};
}

std::vector<float> nonnegative_values(const std::vector<float>& stored, float bound, float pedestal) {
  std::vector<float> v(stored.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const float b = std::max(stored[i], bound);  // NaN stays NaN, as with torch::maximum
    const float square = b * b;
    v[i] = square - pedestal;
  }
  return v;
}

Layer gdn_layer(int channels, bool inverse, const std::vector<float>& beta, float beta_bound, float beta_pedestal,
                const std::vector<float>& gamma, float gamma_bound, float gamma_pedestal) {
  if (beta.size() != size_t(channels) || gamma.size() != size_t(channels) * size_t(channels))
    throw Error(fmt::format("GDN of {} channels: beta or gamma size does not match", channels));
  Layer l;
  l.kind = inverse ? Layer::Kind::inverse_gdn : Layer::Kind::gdn;
  l.in = l.out = channels;
  l.weight = nonnegative_values(gamma, gamma_bound, gamma_pedestal);
  l.bias = nonnegative_values(beta, beta_bound, beta_pedestal);
  return l;
}

}  // namespace tiny::kernels
