// The joint autoregressive models (mbt2018, cheng2020-anchor, cheng2020-attn): a masked 5x5 context
// model over y_hat plus the hyperprior give each latent's Gaussian mean and scale. Coding runs in
// wavefronts in plain C++, computing each position's context from its already-decoded neighbours only;
// the encoder runs the same loop, so both sides derive identical means and CDF indexes.
#include "codec/model.hpp"
#include "kernels/fixed_order.hpp"
#include "nn/layers.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::codec {
namespace {

using nn::AttentionBlock;
using nn::conv;
using nn::conv1x1;
using nn::conv3x3;
using nn::leaky_relu;
using nn::ResidualBlock;
using nn::ResidualBlockUpsample;
using nn::ResidualBlockWithStride;
using nn::SubpelConv3x3;

// The dense loops are compiled for several vector widths, picked at run time for the machine; with
// contraction into fused multiply-adds off (see CMakeLists.txt) every width gives the same sums.
#define TINY_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

// A dense layer stored input-major ([in][out]) so each input adds one contiguous row to the outputs:
// every output sums its terms in input order, whatever the vector width, batch or thread count.
struct Dense {
  int64_t in = 0, out = 0;
  std::vector<float> w, b;

  // weight [out, in, ...] (a 1x1 convolution or a matrix); bias may be undefined (zero).
  Dense(const torch::Tensor& weight, const torch::Tensor& bias) : in(weight.size(1)), out(weight.size(0)) {
    torch::Tensor t = weight.detach().reshape({out, in}).t().contiguous().to(torch::kFloat32);
    w.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    b.assign(size_t(out), 0.0f);
    if (bias.defined()) {
      torch::Tensor bb = bias.detach().contiguous().to(torch::kFloat32);
      b.assign(bb.data_ptr<float>(), bb.data_ptr<float>() + bb.numel());
    }
  }

  // y = b + W x for n vectors (rows of x and y): the same sums as one at a time, reading W once.
  TINY_VECTOR_CLONES void apply_rows(const float* x, float* y, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) std::copy(b.begin(), b.end(), y + i * out);
    for (int64_t k = 0; k < in; ++k) {
      const float* row = w.data() + k * out;
      for (int64_t i = 0; i < n; ++i) {
        const float xk = x[i * in + k];
        if (xk == 0.0f) continue;
        float* yi = y + i * out;
        for (int64_t o = 0; o < out; ++o) yi[o] += row[o] * xk;
      }
    }
  }

  static void leaky_relu(float* y, int64_t n) {
    for (int64_t o = 0; o < n; ++o) y[o] = y[o] < 0.0f ? y[o] * 0.01f : y[o];
  }
};

class JointAutoregressive : public CompressionModel {
public:
  explicit JointAutoregressive(const ArchConfig& c) : CompressionModel(c) {
    const int64_t n = c.N, m = c.M;
    if (c.arch == "mbt2018") {
      g_a = register_module("g_a", detail::bmshj_analysis(n, m));
      g_s = register_module("g_s", detail::bmshj_synthesis(n, m));
      h_a = register_module("h_a", detail::mbt_hyper_analysis(n, m));
      h_s = register_module("h_s", detail::mbt_hyper_synthesis(n, m));
    } else {
      build_cheng(n, c.arch == "cheng2020-attn");
    }
    entropy_parameters = register_module(
        "entropy_parameters", torch::nn::Sequential(conv1x1(m * 12 / 3, m * 10 / 3), leaky_relu(),
                                                    conv1x1(m * 10 / 3, m * 8 / 3), leaky_relu(),
                                                    conv1x1(m * 8 / 3, m * 6 / 3)));
    context_prediction = register_module("context_prediction", nn::MaskedConv2d(m, 2 * m, 5, 'A'));
    entropy_bottleneck = register_module("entropy_bottleneck", nn::EntropyBottleneck(n, 1e-9, 10.0, c.entropy_layers));
    gaussian_conditional = register_module("gaussian_conditional", nn::GaussianConditional());
  }

  ForwardResult forward(const torch::Tensor& x) override {
    torch::Tensor y = g_a->forward(x);
    auto [z_hat, z_lik] = entropy_bottleneck(h_a->forward(y));
    torch::Tensor params = hyper_synthesize(h_s, z_hat);
    torch::Tensor y_hat = is_training() ? y + torch::empty_like(y).uniform_(-0.5, 0.5) : torch::round(y);
    torch::Tensor gp = entropy_parameters->forward(torch::cat({params, context_prediction(y_hat)}, 1));
    auto parts = gp.chunk(2, 1);
    auto [unused, y_lik] = gaussian_conditional(y, parts[0], parts[1]);
    return {g_s->forward(y_hat), {{"y", y_lik}, {"z", z_lik}}};
  }

  Encoded compress(const torch::Tensor& x, const CodingOptions& options) override {
    torch::Tensor y = analyze(x, options), z_hat;
    Encoded e;
    e.streams.push_back(detail::encode_factorized(*entropy_bottleneck, hyper_analyze(h_a, y), z_hat));
    e.latent_h = y.size(2), e.latent_w = y.size(3);
    torch::Tensor yc = y.contiguous();
    const float* yp = yc.data_ptr<float>();
    const int64_t H = y.size(2), W = y.size(3);
    SymbolStream ys;
    ys.symbols.reserve(size_t(yc.numel())), ys.indexes.reserve(size_t(yc.numel()));
    e.y_hat = code(hyper_synthesize(h_s, z_hat, options.path), [&](int64_t c, int64_t h, int64_t w, int32_t index, float mean) {
      float r = std::nearbyint(yp[(c * H + h) * W + w] - mean);
      int32_t q = int32_t(std::clamp(r, -1e9f, 1e9f));
      ys.symbols.push_back(q);
      ys.indexes.push_back(index);
      return q;
    });
    e.streams.push_back(std::move(ys));
    return e;
  }

  torch::Tensor decompress(SymbolSource& source, int64_t h, int64_t w, const CodingOptions& options) override {
    torch::Tensor z_hat = detail::decode_factorized(*entropy_bottleneck, source, 0, h / 4, w / 4);
    return code(hyper_synthesize(h_s, z_hat, options.path),
                [&](int64_t, int64_t, int64_t, int32_t index, float) { return source.read_one(1, index); });
  }

  std::vector<nn::EntropyModel*> entropy_models() override {
    return {entropy_bottleneck.get(), gaussian_conditional.get()};
  }

  bool codes_in_wavefronts() const override { return true; }

  torch::nn::Sequential h_a{nullptr}, h_s{nullptr}, entropy_parameters{nullptr};
  nn::MaskedConv2d context_prediction{nullptr};
  nn::GaussianConditional gaussian_conditional{nullptr};

private:
  void build_cheng(int64_t n, bool attention) {
    const int64_t n3 = n * 3 / 2;
    torch::nn::Sequential ga, gs;
    if (attention) {
      ga = torch::nn::Sequential(ResidualBlockWithStride(3, n), ResidualBlock(n, n), ResidualBlockWithStride(n, n),
                                 AttentionBlock(n), ResidualBlock(n, n), ResidualBlockWithStride(n, n),
                                 ResidualBlock(n, n), conv3x3(n, n, 2), AttentionBlock(n));
      gs = torch::nn::Sequential(AttentionBlock(n), ResidualBlock(n, n), ResidualBlockUpsample(n, n),
                                 ResidualBlock(n, n), ResidualBlockUpsample(n, n), AttentionBlock(n),
                                 ResidualBlock(n, n), ResidualBlockUpsample(n, n), ResidualBlock(n, n),
                                 SubpelConv3x3(n, 3, 2));
    } else {
      ga = torch::nn::Sequential(ResidualBlockWithStride(3, n), ResidualBlock(n, n), ResidualBlockWithStride(n, n),
                                 ResidualBlock(n, n), ResidualBlockWithStride(n, n), ResidualBlock(n, n),
                                 conv3x3(n, n, 2));
      gs = torch::nn::Sequential(ResidualBlock(n, n), ResidualBlockUpsample(n, n), ResidualBlock(n, n),
                                 ResidualBlockUpsample(n, n), ResidualBlock(n, n), ResidualBlockUpsample(n, n),
                                 ResidualBlock(n, n), SubpelConv3x3(n, 3, 2));
    }
    g_a = register_module("g_a", ga);
    g_s = register_module("g_s", gs);
    h_a = register_module("h_a", torch::nn::Sequential(conv3x3(n, n), leaky_relu(), conv3x3(n, n), leaky_relu(),
                                                       conv3x3(n, n, 2), leaky_relu(), conv3x3(n, n), leaky_relu(),
                                                       conv3x3(n, n, 2)));
    h_s = register_module("h_s", torch::nn::Sequential(conv3x3(n, n), leaky_relu(), SubpelConv3x3(n, n, 2),
                                                       leaky_relu(), conv3x3(n, n3), leaky_relu(),
                                                       SubpelConv3x3(n3, n3, 2), leaky_relu(), conv3x3(n3, n * 2)));
  }

  // Runs the context model over the latent, asking symbol(c, h, w, table index, mean) for each latent's
  // quantized value (the encoder rounds y and records it, the decoder reads the stream). Positions go
  // in wavefronts t = w + s h (s = kernel / 2 + 1): the masked kernel reaches only earlier wavefronts,
  // so the positions of one wavefront are computed together, reading the weights once for all of
  // them, and their symbols come in order of h, channels innermost. Returns y_hat [1, M, H, W].
  template <typename SymbolFn>
  torch::Tensor code(const torch::Tensor& hyper, SymbolFn&& symbol) {
    using torch::indexing::Slice;
    const int64_t m = config.M, H = hyper.size(2), W = hyper.size(3), k = context_prediction->kernel, p = k / 2;
    const int64_t Hp = H + 2 * p, Wp = W + 2 * p, slope = p + 1;
    // The taps the mask keeps, in raster order, and the context weights in that order.
    torch::Tensor mask = context_prediction->mask[0][0];
    torch::Tensor wm = context_prediction->masked_weight().detach();
    std::vector<std::pair<int64_t, int64_t>> taps;
    std::vector<torch::Tensor> tap_w;
    for (int64_t ky = 0; ky < k; ++ky)
      for (int64_t kx = 0; kx < k; ++kx)
        if (mask[ky][kx].item<float>() != 0.0f) {
          taps.emplace_back(ky, kx);
          tap_w.push_back(wm.index({Slice(), Slice(), ky, kx}));
        }
    const int64_t n_taps = int64_t(taps.size());
    const Dense context(torch::cat(tap_w, 1), context_prediction->bias);
    // entropy_parameters reads [hyper (2M), context (2M)] per position.
    auto layer = [&](int i) { return entropy_parameters[size_t(i)]->as<torch::nn::Conv2d>(); };
    const Dense e0(layer(0)->weight, layer(0)->bias), e1(layer(2)->weight, layer(2)->bias),
        e2(layer(4)->weight, layer(4)->bias);
    torch::Tensor table = gaussian_conditional->scale_table.contiguous();
    const std::vector<float> bounds(table.data_ptr<float>(), table.data_ptr<float>() + table.numel() - 1);
    const float min_scale = gaussian_conditional->lower_bound_scale->bound.item<float>();

    kernels::IeeeFloatScope ieee;  // the sums below decide the CDF indexes: no flushed denormals
    torch::Tensor hyper_hwc = hyper[0].permute({1, 2, 0}).contiguous();  // [H, W, 2M]
    const float* hp = hyper_hwc.data_ptr<float>();
    std::vector<float> yhat(size_t(Hp * Wp * m), 0.0f);  // zero-padded, channel-last
    const int64_t most = std::min(H, (W + slope - 1) / slope + 1);  // positions in one wavefront, at most
    std::vector<float> gathered(size_t(most * n_taps * m)), e0_in(size_t(most * 4 * m)),
        a0(size_t(most * e0.out)), a1(size_t(most * e1.out)), gp(size_t(most * e2.out));
    std::vector<float> ctx(size_t(most * 2 * m));
    for (int64_t t = 0; t <= (W - 1) + slope * (H - 1); ++t) {
      const int64_t h_first = std::max<int64_t>(0, (t - (W - 1) + slope - 1) / slope), h_last = std::min(H - 1, t / slope);
      const int64_t n = h_last - h_first + 1;
      for (int64_t i = 0; i < n; ++i) {
        const int64_t h = h_first + i, w = t - slope * h;
        for (int64_t j = 0; j < n_taps; ++j) {
          const float* src = yhat.data() + ((h + taps[size_t(j)].first) * Wp + (w + taps[size_t(j)].second)) * m;
          std::copy(src, src + m, gathered.begin() + (i * n_taps + j) * m);
        }
      }
      context.apply_rows(gathered.data(), ctx.data(), n);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t h = h_first + i, w = t - slope * h;
        std::copy(hp + (h * W + w) * 2 * m, hp + (h * W + w + 1) * 2 * m, e0_in.begin() + i * 4 * m);
        std::copy(ctx.begin() + i * 2 * m, ctx.begin() + (i + 1) * 2 * m, e0_in.begin() + i * 4 * m + 2 * m);
      }
      e0.apply_rows(e0_in.data(), a0.data(), n);
      Dense::leaky_relu(a0.data(), n * e0.out);
      e1.apply_rows(a0.data(), a1.data(), n);
      Dense::leaky_relu(a1.data(), n * e1.out);
      e2.apply_rows(a1.data(), gp.data(), n);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t h = h_first + i, w = t - slope * h;
        const float* g = gp.data() + i * e2.out;
        float* dst = yhat.data() + ((h + p) * Wp + (w + p)) * m;
        for (int64_t c = 0; c < m; ++c) {
          const float scale = std::max(g[c], min_scale), mean = g[m + c];
          const int32_t index = int32_t(std::lower_bound(bounds.begin(), bounds.end(), scale) - bounds.begin());
          dst[c] = float(symbol(c, h, w, index, mean)) + mean;
        }
      }
    }
    torch::Tensor padded = torch::from_blob(yhat.data(), {Hp, Wp, m}, torch::kFloat32);
    return padded.slice(0, p, p + H).slice(1, p, p + W).permute({2, 0, 1}).unsqueeze(0).contiguous();
  }
};

}  // namespace

namespace detail {
std::shared_ptr<CompressionModel> make_autoregressive(const ArchConfig& config) {
  return std::make_shared<JointAutoregressive>(config);
}
}  // namespace detail

}  // namespace tiny::codec
