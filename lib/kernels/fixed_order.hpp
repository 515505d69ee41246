#pragma once
// Convolutional networks evaluated in one fixed order of float operations, so that their outputs are
// bit-identical on every machine: whatever the vector width (SSE, AVX2, AVX-512, NEON), thread count,
// BLAS or oneDNN build, and whatever the compiler's -march. Everything that feeds the entropy coder
// (the hyper-synthesis, and on request the synthesis) runs here.
//
// How the order is kept: each output value starts at its bias and adds its products tap by tap (kernel
// rows, then columns) and input channel by input channel, each product rounded to float before it is
// added (no fused multiply-adds: the file is built with -ffp-contract=off). Vectors run across output
// channels only, so a lane never mixes with another; threads split the work by output rows and
// channel blocks, never within one sum. Square roots and divisions are IEEE-754's correctly rounded
// ones; denormals are kept (flush-to-zero and denormals-are-zero are switched off while the kernels run).
// No libm function is called. Torch-free.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiny::kernels {

// An image of float features, channels innermost: value (y, x, c) at data[(y * width + x) * channels + c].
struct FeatureMap {
  int height = 0, width = 0, channels = 0;
  std::vector<float> data;

  FeatureMap() = default;
  FeatureMap(int h, int w, int c) : height(h), width(w), channels(c), data(size_t(h) * size_t(w) * size_t(c), 0.0f) {}
  float& at(int y, int x, int c) { return data[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels) + size_t(c)]; }
  float at(int y, int x, int c) const {
    return data[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels) + size_t(c)];
  }
};

// Round-to-nearest with denormals kept (neither flushed to zero nor read as zero) on the calling thread
// while it lives, whatever mode a library loaded into the process left there; every fixed-order
// computation runs under one.
class IeeeFloatScope {
public:
  IeeeFloatScope();
  ~IeeeFloatScope();
  IeeeFloatScope(const IeeeFloatScope&) = delete;
  IeeeFloatScope& operator=(const IeeeFloatScope&) = delete;

private:
  uint64_t saved_ = 0;
};

enum class Activation : uint8_t { none, relu, leaky_relu };

// One layer of a FixedOrderNet, with its weights in torch's layouts.
struct Layer {
  enum class Kind : uint8_t {
    conv,           // square kernel, stride, zero padding `pad`; weight [out][in][ky][kx], bias [out]
    pixel_shuffle,  // factor r: in channels = out * r^2 (see phase_major)
    gdn,            // y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2); weight gamma [out][in], bias beta
    inverse_gdn,    // y_i = x_i * sqrt(beta_i + sum_j gamma_ij x_j^2)
  };
  Kind kind = Kind::conv;
  int in = 0, out = 0;
  int kernel = 1, stride = 1, pad = 0;
  int factor = 2;            // pixel_shuffle
  bool phase_major = false;  // pixel_shuffle: input channel of (c, i, j) is (i r + j) out + c; else c r^2 + i r + j
  Activation activation = Activation::none;  // conv: applied to its output
  float slope = 0.01f;                       // leaky_relu: y = x < 0 ? x * slope : x
  std::vector<float> weight, bias;
};

// A sequence of layers packed for the fixed-order kernels.
class FixedOrderNet {
public:
  // Checks the layers' shapes against each other (throws tiny::Error) and packs their weights.
  explicit FixedOrderNet(const std::vector<Layer>& layers);
  ~FixedOrderNet();
  FixedOrderNet(FixedOrderNet&&) noexcept;
  FixedOrderNet& operator=(FixedOrderNet&&) noexcept;
  // Runs the layers on x (x.channels must be in_channels()), on tiny's thread pool.
  FeatureMap forward(const FeatureMap& x) const;
  int in_channels() const;
  int out_channels() const;

  struct Packed;

private:
  std::vector<Packed> layers_;
};

}  // namespace tiny::kernels
