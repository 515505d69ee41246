// The joint autoregressive models (mbt2018, cheng2020-anchor, cheng2020-attn): a masked 5x5 context
// model over y_hat plus the hyperprior give each latent's Gaussian mean and scale. Coding runs in raster
// order in plain C++, computing each position's context from its already-decoded neighbours only; the
// encoder runs the same loop, so both sides derive identical means and CDF indexes.
#include "codec/model.hpp"
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

  // y += W x (inputs that are zero add nothing and are skipped).
  void accumulate(const float* x, float* y) const {
    for (int64_t k = 0; k < in; ++k) {
      const float xk = x[k];
      if (xk == 0.0f) continue;
      const float* row = w.data() + k * out;
      for (int64_t o = 0; o < out; ++o) y[o] += row[o] * xk;
    }
  }

  // y = b + W x for n vectors (rows of x and y): the same sums as one at a time, reading W once.
  void apply_rows(const float* x, float* y, int64_t n) const {
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

  // y = b + W x, with leaky ReLU (slope 0.01) if asked.
  void apply(const float* x, float* y, bool leaky) const {
    std::copy(b.begin(), b.end(), y);
    accumulate(x, y);
    if (leaky) leaky_relu(y, out);
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
    torch::Tensor params = h_s->forward(z_hat);
    torch::Tensor y_hat = is_training() ? y + torch::empty_like(y).uniform_(-0.5, 0.5) : torch::round(y);
    torch::Tensor gp = entropy_parameters->forward(torch::cat({params, context_prediction(y_hat)}, 1));
    auto parts = gp.chunk(2, 1);
    auto [unused, y_lik] = gaussian_conditional(y, parts[0], parts[1]);
    return {g_s->forward(y_hat), {{"y", y_lik}, {"z", z_lik}}};
  }

  Encoded compress(const torch::Tensor& x) override {
    torch::Tensor y = analyze(x), z_hat;
    Encoded e;
    e.streams.push_back(detail::encode_factorized(*entropy_bottleneck, h_a->forward(y), z_hat));
    e.latent_h = y.size(2), e.latent_w = y.size(3);
    torch::Tensor yc = y.contiguous();
    const float* yp = yc.data_ptr<float>();
    const int64_t H = y.size(2), W = y.size(3);
    SymbolStream ys;
    ys.symbols.reserve(size_t(yc.numel())), ys.indexes.reserve(size_t(yc.numel()));
    e.y_hat = code(detail::run_serial(h_s, z_hat), [&](int64_t c, int64_t h, int64_t w, int32_t index, float mean) {
      float r = std::nearbyint(yp[(c * H + h) * W + w] - mean);
      int32_t q = int32_t(std::clamp(r, -1e9f, 1e9f));
      ys.symbols.push_back(q);
      ys.indexes.push_back(index);
      return q;
    });
    e.streams.push_back(std::move(ys));
    return e;
  }

  torch::Tensor decompress(SymbolSource& source, int64_t h, int64_t w) override {
    torch::Tensor z_hat = detail::decode_factorized(*entropy_bottleneck, source, 0, h / 4, w / 4);
    return code(detail::run_serial(h_s, z_hat),
                [&](int64_t, int64_t, int64_t, int32_t index, float) { return source.read_one(1, index); });
  }

  std::vector<nn::EntropyModel*> entropy_models() override {
    return {entropy_bottleneck.get(), gaussian_conditional.get()};
  }

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

  // Runs the context model in raster order (all channels of a position together), asking
  // symbol(c, h, w, table index, mean) for each latent's quantized value (the encoder rounds y and
  // records it, the decoder reads the stream). Returns y_hat [1, M, H, W].
  template <typename SymbolFn>
  torch::Tensor code(const torch::Tensor& hyper, SymbolFn&& symbol) {
    using torch::indexing::Slice;
    const int64_t m = config.M, H = hyper.size(2), W = hyper.size(3), k = context_prediction->kernel, p = k / 2;
    const int64_t Hp = H + 2 * p, Wp = W + 2 * p;
    // The taps the mask keeps: those in rows above (known once the previous row is done, computed for a
    // whole row at once) and those to the left in the same row (computed per position).
    torch::Tensor mask = context_prediction->mask[0][0];
    torch::Tensor wm = context_prediction->masked_weight().detach();
    std::vector<std::pair<int64_t, int64_t>> above, left;
    std::vector<torch::Tensor> above_w, left_w;
    for (int64_t ky = 0; ky < k; ++ky)
      for (int64_t kx = 0; kx < k; ++kx)
        if (mask[ky][kx].item<float>() != 0.0f) {
          (ky < p ? above : left).emplace_back(ky, kx);
          (ky < p ? above_w : left_w).push_back(wm.index({Slice(), Slice(), ky, kx}));
        }
    const Dense ctx_above(torch::cat(above_w, 1), context_prediction->bias);
    const Dense ctx_left(torch::cat(left_w, 1), torch::Tensor());
    // entropy_parameters[0] splits into its hyper-parameter half (per row) and its context half.
    auto layer = [&](int i) { return entropy_parameters[size_t(i)]->as<torch::nn::Conv2d>(); };
    const Dense e0_hyper(layer(0)->weight.index({Slice(), Slice(0, 2 * m)}), layer(0)->bias);
    const Dense e0_ctx(layer(0)->weight.index({Slice(), Slice(2 * m, 4 * m)}), torch::Tensor());
    const Dense e1(layer(2)->weight, layer(2)->bias), e2(layer(4)->weight, layer(4)->bias);
    torch::Tensor table = gaussian_conditional->scale_table.contiguous();
    const std::vector<float> bounds(table.data_ptr<float>(), table.data_ptr<float>() + table.numel() - 1);
    const float min_scale = gaussian_conditional->lower_bound_scale->bound.item<float>();

    torch::Tensor hyper_hwc = hyper[0].permute({1, 2, 0}).contiguous();  // [H, W, 2M]
    const float* hp = hyper_hwc.data_ptr<float>();
    std::vector<float> yhat(size_t(Hp * Wp * m), 0.0f);  // zero-padded, channel-last
    std::vector<float> gathered(size_t(W * int64_t(above.size()) * m)), ctx_rows(size_t(W * 2 * m)),
        e0_rows(size_t(W * e0_hyper.out)), left_in(size_t(int64_t(left.size()) * m)), ctx(size_t(2 * m)),
        a0(size_t(e0_hyper.out)), a1(size_t(e1.out)), gp(size_t(e2.out));
    for (int64_t h = 0; h < H; ++h) {
      for (int64_t w = 0; w < W; ++w)
        for (size_t t = 0; t < above.size(); ++t) {
          const float* src = yhat.data() + ((h + above[t].first) * Wp + (w + above[t].second)) * m;
          std::copy(src, src + m, gathered.begin() + (w * int64_t(above.size()) + int64_t(t)) * m);
        }
      ctx_above.apply_rows(gathered.data(), ctx_rows.data(), W);
      e0_hyper.apply_rows(hp + h * W * 2 * m, e0_rows.data(), W);
      for (int64_t w = 0; w < W; ++w) {
        for (size_t t = 0; t < left.size(); ++t) {
          const float* src = yhat.data() + ((h + left[t].first) * Wp + (w + left[t].second)) * m;
          std::copy(src, src + m, left_in.begin() + int64_t(t) * m);
        }
        std::copy(ctx_rows.begin() + w * 2 * m, ctx_rows.begin() + (w + 1) * 2 * m, ctx.begin());
        ctx_left.accumulate(left_in.data(), ctx.data());
        std::copy(e0_rows.begin() + w * e0_hyper.out, e0_rows.begin() + (w + 1) * e0_hyper.out, a0.begin());
        e0_ctx.accumulate(ctx.data(), a0.data());
        Dense::leaky_relu(a0.data(), e0_hyper.out);
        e1.apply(a0.data(), a1.data(), true);
        e2.apply(a1.data(), gp.data(), false);
        float* dst = yhat.data() + ((h + p) * Wp + (w + p)) * m;
        for (int64_t c = 0; c < m; ++c) {
          const float scale = std::max(gp[c], min_scale), mean = gp[m + c];
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
