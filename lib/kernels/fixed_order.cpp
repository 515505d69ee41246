#include "kernels/fixed_order.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace tiny::kernels {

#if defined(__x86_64__) || defined(__i386__)
namespace {
constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040, kRounding = 0x6000;  // MXCSR bits
}
IeeeFloatScope::IeeeFloatScope() : saved_(_mm_getcsr()) {
  _mm_setcsr(unsigned(saved_) & ~(kFlushToZero | kDenormalsAreZero | kRounding));
}
IeeeFloatScope::~IeeeFloatScope() { _mm_setcsr(unsigned(saved_)); }
#elif defined(__aarch64__)
namespace {
constexpr uint64_t kFlushToZero = uint64_t(1) << 24, kRounding = uint64_t(3) << 22;  // FPCR bits
}
IeeeFloatScope::IeeeFloatScope() : saved_(__builtin_aarch64_get_fpcr64()) {
  __builtin_aarch64_set_fpcr64(saved_ & ~(kFlushToZero | kRounding));
}
IeeeFloatScope::~IeeeFloatScope() { __builtin_aarch64_set_fpcr64(saved_); }
#else
IeeeFloatScope::IeeeFloatScope() = default;
IeeeFloatScope::~IeeeFloatScope() = default;
#endif

namespace {

// The loops are compiled for several vector widths and picked at run time; with contraction into
// fused multiply-adds off (see CMakeLists.txt), every width computes the same sums. The tests also
// build this file for one instruction set at a time (TINY_KERNELS_ONE_TARGET) to show it.
#ifdef TINY_KERNELS_ONE_TARGET
#define TINY_KERNEL_CLONES
#else
#define TINY_KERNEL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

// Sixteen output channels: one AVX-512 register, two AVX2 or four SSE/NEON ones.
using Vec = float __attribute__((vector_size(64)));
constexpr int kLanes = 16;
// Output pixels that share each weight load.
constexpr int kPixels = 8;

inline float activate(float v, Activation act, float slope) {
  switch (act) {
    case Activation::relu: return v < 0.0f ? 0.0f : v;
    case Activation::leaky_relu: return v < 0.0f ? v * slope : v;
    case Activation::none: break;
  }
  return v;
}

// acc[p] += w[c] * src[p * step + c] for c = 0, 1, ... (P pixels, one weight vector per channel).
template <int P>
inline __attribute__((always_inline)) void accumulate(Vec* acc, const float* w, const float* src, int channels,
                                                      int step) {
  Vec a[P];
  for (int p = 0; p < P; ++p) a[p] = acc[p];
  for (int c = 0; c < channels; ++c) {
    Vec wv;
    std::memcpy(&wv, w + size_t(c) * kLanes, sizeof wv);
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) a[p] += wv * src[size_t(p) * size_t(step) + size_t(c)];
  }
  for (int p = 0; p < P; ++p) acc[p] = a[p];
}

// One output row of one block of 16 output channels.
struct RowJob {
  const float* in;         // the padded input at the first row this output row reads
  size_t in_row;           // floats per padded input row
  int in_channels, stride, kernel;
  const float* weight;     // the block's packed weights: [kept tap][in channel][16]
  const uint16_t* taps;    // the block's kept taps (ky * kernel + kx), ascending
  int n_taps;
  const float* bias;       // 16 values
  int out_width;
  float* out;              // output pixel 0 of the row, at the block's first channel
  int out_pixel;           // floats between output pixels
  int lanes;               // channels of the block that exist (1..16)
  Activation activation;
  float slope;
};

TINY_KERNEL_CLONES void conv_row(const RowJob& j) {
  const int step = j.stride * j.in_channels;
  for (int ox = 0; ox < j.out_width;) {
    const int n = j.out_width - ox >= kPixels ? kPixels : 1;
    Vec acc[kPixels];
    for (int p = 0; p < n; ++p) std::memcpy(&acc[p], j.bias, sizeof(Vec));
    for (int t = 0; t < j.n_taps; ++t) {
      const int ky = j.taps[t] / j.kernel, kx = j.taps[t] % j.kernel;
      const float* src = j.in + size_t(ky) * j.in_row + size_t(ox * j.stride + kx) * size_t(j.in_channels);
      const float* w = j.weight + size_t(t) * size_t(j.in_channels) * kLanes;
      if (n == kPixels)
        accumulate<kPixels>(acc, w, src, j.in_channels, step);
      else
        accumulate<1>(acc, w, src, j.in_channels, step);
    }
    for (int p = 0; p < n; ++p) {
      float* o = j.out + size_t(ox + p) * size_t(j.out_pixel);
      for (int l = 0; l < j.lanes; ++l) o[l] = activate(acc[p][l], j.activation, j.slope);
    }
    ox += n;
  }
}

int blocks_of(int channels) { return (channels + kLanes - 1) / kLanes; }

}  // namespace

struct FixedOrderNet::Packed {
  Layer::Kind kind = Layer::Kind::conv;
  int in = 0, out = 0, kernel = 1, stride = 1, pad = 0, factor = 2;
  bool phase_major = false;
  Activation activation = Activation::none;
  float slope = 0.01f;
  std::vector<float> weight;                 // per block: [kept tap][in][16]
  std::vector<size_t> block_start;           // where each block's weights start
  std::vector<std::vector<uint16_t>> taps;   // per block: the taps with a non-zero weight
  std::vector<float> bias;                   // [blocks * 16]
};

namespace {

using Packed = FixedOrderNet::Packed;

// Packs a [out][in][k][k] kernel (a 1x1 one for GDN) into blocks of 16 output channels, leaving out the
// taps whose weights are all zero in a block (the sub-pixel form of a transposed convolution has many).
void pack_conv(const Layer& l, Packed& p) {
  const int kk = l.kernel * l.kernel, blocks = blocks_of(l.out);
  p.bias.assign(size_t(blocks) * kLanes, 0.0f);
  for (int o = 0; o < l.out && !l.bias.empty(); ++o) p.bias[size_t(o)] = l.bias[size_t(o)];
  auto w = [&](int o, int c, int t) { return l.weight[(size_t(o) * size_t(l.in) + size_t(c)) * size_t(kk) + size_t(t)]; };
  for (int b = 0; b < blocks; ++b) {
    p.block_start.push_back(p.weight.size());
    std::vector<uint16_t> kept;
    for (int t = 0; t < kk; ++t) {
      bool any = false;
      for (int o = b * kLanes; o < std::min(l.out, (b + 1) * kLanes) && !any; ++o)
        for (int c = 0; c < l.in && !any; ++c) any = w(o, c, t) != 0.0f;
      if (!any) continue;
      kept.push_back(uint16_t(t));
      for (int c = 0; c < l.in; ++c)
        for (int lane = 0; lane < kLanes; ++lane) {
          const int o = b * kLanes + lane;
          p.weight.push_back(o < l.out ? w(o, c, t) : 0.0f);
        }
    }
    p.taps.push_back(std::move(kept));
  }
}

void check(bool ok, size_t index, const std::string& what) {
  if (!ok) throw Error(fmt::format("fixed-order network: layer {}: {}", index, what));
}

Packed pack(const Layer& l, size_t index) {
  Packed p;
  p.kind = l.kind, p.in = l.in, p.out = l.out, p.kernel = l.kernel, p.stride = l.stride, p.pad = l.pad;
  p.factor = l.factor, p.phase_major = l.phase_major, p.activation = l.activation, p.slope = l.slope;
  check(l.in > 0 && l.out > 0, index, "channel counts must be positive");
  switch (l.kind) {
    case Layer::Kind::conv:
      check(l.kernel >= 1 && l.kernel <= 255 && l.stride >= 1 && l.pad >= 0 && l.pad < l.kernel, index,
            "bad kernel, stride or padding");
      check(l.weight.size() == size_t(l.out) * size_t(l.in) * size_t(l.kernel) * size_t(l.kernel), index,
            "weight size does not match its shape");
      check(l.bias.empty() || l.bias.size() == size_t(l.out), index, "bias size does not match the outputs");
      pack_conv(l, p);
      break;
    case Layer::Kind::pixel_shuffle:
      check(l.factor >= 1 && l.in == l.out * l.factor * l.factor, index, "pixel shuffle channels do not match");
      break;
    case Layer::Kind::gdn:
    case Layer::Kind::inverse_gdn: {
      check(l.in == l.out && l.weight.size() == size_t(l.out) * size_t(l.out) && l.bias.size() == size_t(l.out), index,
            "GDN needs gamma [C][C] and beta [C]");
      Layer one = l;
      one.kernel = 1, one.stride = 1, one.pad = 0;
      pack_conv(one, p);
      p.kernel = 1;
      break;
    }
  }
  return p;
}

// A zero-padded copy of x (pad on every side).
FeatureMap padded(const FeatureMap& x, int pad) {
  if (pad == 0) return x;
  FeatureMap p(x.height + 2 * pad, x.width + 2 * pad, x.channels);
  const size_t row = size_t(x.width) * size_t(x.channels);
  for (int y = 0; y < x.height; ++y)
    std::memcpy(&p.at(y + pad, pad, 0), &x.data[size_t(y) * row], row * sizeof(float));
  return p;
}

FeatureMap convolve(const Packed& l, const FeatureMap& x) {
  const FeatureMap in = padded(x, l.pad);
  const int oh = (in.height - l.kernel) / l.stride + 1, ow = (in.width - l.kernel) / l.stride + 1;
  if (in.height < l.kernel || in.width < l.kernel)
    throw Error(fmt::format("fixed-order network: a {}x{} input is smaller than a {}x{} kernel", x.width, x.height,
                            l.kernel, l.kernel));
  FeatureMap out(oh, ow, l.out);
  const int blocks = blocks_of(l.out);
  const size_t in_row = size_t(in.width) * size_t(in.channels);
  parallel_for(0, size_t(blocks) * size_t(oh), [&](size_t i) {
    IeeeFloatScope mode;
    const int b = int(i % size_t(blocks)), oy = int(i / size_t(blocks));
    RowJob j;
    j.in = in.data.data() + size_t(oy) * size_t(l.stride) * in_row;
    j.in_row = in_row;
    j.in_channels = l.in, j.stride = l.stride, j.kernel = l.kernel;
    j.weight = l.weight.data() + l.block_start[size_t(b)];
    j.taps = l.taps[size_t(b)].data();
    j.n_taps = int(l.taps[size_t(b)].size());
    j.bias = l.bias.data() + size_t(b) * kLanes;
    j.out_width = ow;
    j.out = &out.at(oy, 0, b * kLanes);
    j.out_pixel = l.out;
    j.lanes = std::min(kLanes, l.out - b * kLanes);
    j.activation = l.activation, j.slope = l.slope;
    conv_row(j);
  });
  return out;
}

FeatureMap shuffle(const Packed& l, const FeatureMap& x) {
  const int r = l.factor, c_out = l.out;
  FeatureMap out(x.height * r, x.width * r, c_out);
  for (int y = 0; y < x.height; ++y)
    for (int xx = 0; xx < x.width; ++xx)
      for (int i = 0; i < r; ++i)
        for (int j = 0; j < r; ++j)
          for (int c = 0; c < c_out; ++c) {
            const int from = l.phase_major ? (i * r + j) * c_out + c : c * r * r + i * r + j;
            out.at(y * r + i, xx * r + j, c) = x.at(y, xx, from);
          }
  return out;
}

FeatureMap normalize(const Packed& l, const FeatureMap& x) {
  FeatureMap squares = x;
  for (float& v : squares.data) v = v * v;
  FeatureMap norm = convolve(l, squares);
  IeeeFloatScope mode;
  const bool inverse = l.kind == Layer::Kind::inverse_gdn;
  for (size_t i = 0; i < norm.data.size(); ++i) {
    const float root = std::sqrt(norm.data[i]);
    norm.data[i] = inverse ? x.data[i] * root : x.data[i] / root;
  }
  return norm;
}

}  // namespace

FixedOrderNet::FixedOrderNet(const std::vector<Layer>& layers) {
  if (layers.empty()) throw Error("fixed-order network: no layers");
  for (size_t i = 0; i < layers.size(); ++i) {
    if (i > 0) check(layers[i].in == layers[i - 1].out, i, "its input channels differ from the previous layer's output");
    layers_.push_back(pack(layers[i], i));
  }
}

FixedOrderNet::~FixedOrderNet() = default;
FixedOrderNet::FixedOrderNet(FixedOrderNet&&) noexcept = default;
FixedOrderNet& FixedOrderNet::operator=(FixedOrderNet&&) noexcept = default;

int FixedOrderNet::in_channels() const { return layers_.front().in; }
int FixedOrderNet::out_channels() const { return layers_.back().out; }

FeatureMap FixedOrderNet::forward(const FeatureMap& x) const {
  if (x.channels != in_channels())
    throw Error(fmt::format("fixed-order network: input has {} channels, expected {}", x.channels, in_channels()));
  FeatureMap cur = x;
  for (const Packed& l : layers_) {
    switch (l.kind) {
      case Layer::Kind::conv: cur = convolve(l, cur); break;
      case Layer::Kind::pixel_shuffle: cur = shuffle(l, cur); break;
      case Layer::Kind::gdn:
      case Layer::Kind::inverse_gdn: cur = normalize(l, cur); break;
    }
  }
  return cur;
}

}  // namespace tiny::kernels
