// The fixed-order kernels: the documented order of operations, independence of the thread count, and
// shape checks. (Independence of the instruction set: the kernel_probe builds, see CMakeLists.txt.)
#include "core/error.hpp"
#include "core/threads.hpp"
#include "kernel_probe_net.hpp"
#include "kernels/fixed_order.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

using namespace tiny::kernels;

namespace {

// The documented order, written plainly: bias, then taps (rows, columns), then input channels, each
// product rounded before it is added.
FeatureMap reference_conv(const Layer& l, const FeatureMap& x) {
  const int oh = (x.height + 2 * l.pad - l.kernel) / l.stride + 1, ow = (x.width + 2 * l.pad - l.kernel) / l.stride + 1;
  FeatureMap out(oh, ow, l.out);
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int o = 0; o < l.out; ++o) {
        float acc = l.bias.empty() ? 0.0f : l.bias[size_t(o)];
        for (int ky = 0; ky < l.kernel; ++ky)
          for (int kx = 0; kx < l.kernel; ++kx)
            for (int c = 0; c < l.in; ++c) {
              const int iy = oy * l.stride + ky - l.pad, ix = ox * l.stride + kx - l.pad;
              const float v = iy < 0 || ix < 0 || iy >= x.height || ix >= x.width ? 0.0f : x.at(iy, ix, c);
              const float product = l.weight[((size_t(o) * size_t(l.in) + size_t(c)) * size_t(l.kernel) + size_t(ky)) *
                                                  size_t(l.kernel) + size_t(kx)] * v;
              acc = acc + product;
            }
        if (l.activation == Activation::relu && acc < 0) acc = 0;
        if (l.activation == Activation::leaky_relu && acc < 0) acc = acc * l.slope;
        out.at(oy, ox, o) = acc;
      }
  return out;
}

FeatureMap reference_gdn(const Layer& l, const FeatureMap& x) {
  FeatureMap out(x.height, x.width, x.channels);
  for (int y = 0; y < x.height; ++y)
    for (int xx = 0; xx < x.width; ++xx)
      for (int i = 0; i < l.out; ++i) {
        float norm = l.bias[size_t(i)];
        for (int j = 0; j < l.in; ++j) norm = norm + l.weight[size_t(i) * size_t(l.in) + size_t(j)] * (x.at(y, xx, j) * x.at(y, xx, j));
        const float root = std::sqrt(norm);
        out.at(y, xx, i) = l.kind == Layer::Kind::inverse_gdn ? x.at(y, xx, i) * root : x.at(y, xx, i) / root;
      }
  return out;
}

FeatureMap reference_shuffle(const Layer& l, const FeatureMap& x) {
  const int r = l.factor;
  FeatureMap out(x.height * r, x.width * r, l.out);
  for (int y = 0; y < out.height; ++y)
    for (int xx = 0; xx < out.width; ++xx)
      for (int c = 0; c < l.out; ++c) {
        const int i = y % r, j = xx % r;
        out.at(y, xx, c) = x.at(y / r, xx / r, l.phase_major ? (i * r + j) * l.out + c : c * r * r + i * r + j);
      }
  return out;
}

FeatureMap reference(const std::vector<Layer>& layers, FeatureMap x) {
  for (const Layer& l : layers) {
    if (l.kind == Layer::Kind::conv) x = reference_conv(l, x);
    else if (l.kind == Layer::Kind::pixel_shuffle) x = reference_shuffle(l, x);
    else x = reference_gdn(l, x);
  }
  return x;
}

}  // namespace

TEST_CASE("fixed-order kernels compute exactly the documented order of operations") {
  const auto layers = tiny::test::probe_layers();
  const FeatureMap x = tiny::test::probe_input(23, 17);
  const FeatureMap got = FixedOrderNet(layers).forward(x), want = reference(layers, x);
  REQUIRE(got.height == want.height);
  REQUIRE(got.width == want.width);
  REQUIRE(got.channels == want.channels);
  size_t differ = 0;
  for (size_t i = 0; i < got.data.size(); ++i) differ += got.data[i] != want.data[i];
  CHECK(differ == 0);
}

TEST_CASE("fixed-order kernels give the same bits on 1, 2 and 5 threads") {
  const FixedOrderNet net(tiny::test::probe_layers());
  const FeatureMap x = tiny::test::probe_input(41, 33);
  tiny::set_thread_count(1);
  const std::string one = tiny::test::digest(net.forward(x));
  tiny::set_thread_count(2);
  CHECK(tiny::test::digest(net.forward(x)) == one);
  tiny::set_thread_count(5);
  CHECK(tiny::test::digest(net.forward(x)) == one);
  tiny::set_thread_count(0);
}

TEST_CASE("fixed-order kernels ignore the thread's flush-to-zero mode") {
#if defined(__x86_64__)
  const FixedOrderNet net(tiny::test::probe_layers());
  const FeatureMap x = tiny::test::probe_input(9, 9);
  tiny::set_thread_count(1);
  const std::string normal = tiny::test::digest(net.forward(x));
  const unsigned saved = __builtin_ia32_stmxcsr();
  __builtin_ia32_ldmxcsr(saved | 0x8040);  // flush-to-zero and denormals-are-zero, as -ffast-math code sets
  const std::string flushed = tiny::test::digest(net.forward(x));
  __builtin_ia32_ldmxcsr(saved);
  tiny::set_thread_count(0);
  CHECK(flushed == normal);
#else
  MESSAGE("skipped: the flush-to-zero check is written for x86-64");
#endif
}

TEST_CASE("fixed-order networks refuse layers that do not fit together") {
  Layer a;
  a.in = 3, a.out = 8, a.kernel = 3, a.pad = 1;
  a.weight.assign(8 * 3 * 9, 0.1f);
  CHECK_NOTHROW(FixedOrderNet({a}));
  Layer wrong_weights = a;
  wrong_weights.weight.pop_back();
  CHECK_THROWS_AS(FixedOrderNet({wrong_weights}), tiny::Error);
  Layer next = a;
  next.in = 4;
  next.weight.assign(8 * 4 * 9, 0.1f);
  CHECK_THROWS_WITH_AS(FixedOrderNet({a, next}), doctest::Contains("layer 1"), tiny::Error);
  Layer shuffle;
  shuffle.kind = Layer::Kind::pixel_shuffle;
  shuffle.in = 8, shuffle.out = 3, shuffle.factor = 2;
  CHECK_THROWS_AS(FixedOrderNet({a, shuffle}), tiny::Error);
  const FixedOrderNet net({a});
  CHECK_THROWS_AS(net.forward(FeatureMap(4, 4, 5)), tiny::Error);
  CHECK_THROWS_AS(FixedOrderNet({}), tiny::Error);
}
