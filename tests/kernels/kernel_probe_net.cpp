#include "kernel_probe_net.hpp"

#include <cstdio>
#include <cstring>

namespace tiny::test {
namespace {

using kernels::Activation;
using kernels::Layer;

// Deterministic values in [-scale, scale) (xorshift; no libm, no std::distribution).
class Values {
public:
  float next(float scale) {
    state_ ^= state_ << 13, state_ ^= state_ >> 7, state_ ^= state_ << 17;
    return (float(state_ >> 40) / float(1 << 24) * 2.0f - 1.0f) * scale;
  }
  std::vector<float> many(size_t n, float scale) {
    std::vector<float> v(n);
    for (float& x : v) x = next(scale);
    return v;
  }

private:
  uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

Layer conv(Values& v, int in, int out, int k, int stride, Activation act, bool zero_taps = false) {
  Layer l;
  l.in = in, l.out = out, l.kernel = k, l.stride = stride, l.pad = k / 2, l.activation = act;
  l.weight = v.many(size_t(out) * size_t(in) * size_t(k) * size_t(k), 1.0f / float(in * k));
  if (zero_taps)  // the first 16 outputs ignore the kernel's first row, as a sub-pixel phase does
    for (int o = 0; o < std::min(out, 16); ++o)
      for (int c = 0; c < in; ++c)
        for (int t = 0; t < k; ++t) l.weight[(size_t(o) * size_t(in) + size_t(c)) * size_t(k * k) + size_t(t)] = 0.0f;
  l.bias = v.many(size_t(out), 0.1f);
  return l;
}

Layer gdn(Values& v, int c, bool inverse) {
  Layer l;
  l.kind = inverse ? Layer::Kind::inverse_gdn : Layer::Kind::gdn;
  l.in = l.out = c;
  l.weight = v.many(size_t(c) * size_t(c), 0.05f);
  for (float& w : l.weight) w = w < 0 ? -w : w;
  l.bias = v.many(size_t(c), 0.5f);
  for (float& b : l.bias) b = 1.0f + (b < 0 ? -b : b);
  return l;
}

Layer shuffle(int out, int r, bool phase_major) {
  Layer l;
  l.kind = Layer::Kind::pixel_shuffle;
  l.out = out, l.in = out * r * r, l.factor = r, l.phase_major = phase_major;
  return l;
}

}  // namespace

std::vector<Layer> probe_layers() {
  Values v;
  return {conv(v, 5, 24, 5, 2, Activation::leaky_relu), gdn(v, 24, false),
          conv(v, 24, 68, 3, 1, Activation::relu, true), shuffle(17, 2, true),
          conv(v, 17, 36, 3, 1, Activation::none), shuffle(9, 2, false), gdn(v, 9, true),
          conv(v, 9, 3, 1, 1, Activation::leaky_relu)};
}

kernels::FeatureMap probe_input(int height, int width) {
  Values v;
  kernels::FeatureMap f(height, width, 5);
  f.data = v.many(f.data.size(), 4.0f);
  f.data[3] = 1e-39f;  // a denormal
  return f;
}

std::string digest(const kernels::FeatureMap& f) {
  uint64_t h = 1469598103934665603ULL;
  for (float x : f.data) {
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    for (int b = 0; b < 4; ++b) h = (h ^ ((bits >> (8 * b)) & 0xff)) * 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace tiny::test
