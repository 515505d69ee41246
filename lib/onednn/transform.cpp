#include "onednn/transform.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/parallel.hpp"
#include "core/threads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#ifdef TINY_HAVE_ONEDNN
#include <dnnl.hpp>
#include <omp.h>
#endif

namespace tiny::onednn {
namespace {

// The channels a layer's output has.
int output_channels(const LayerSpec& l) { return l.kind == LayerSpec::Kind::subpixel ? l.out / 4 : l.out; }

// Checks that the layers' weights have their shapes and chain from one to the next.
void check_layers(const std::vector<LayerSpec>& layers) {
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    const bool gdn = l.kind == LayerSpec::Kind::gdn;
    const size_t weights = size_t(l.out) * size_t(l.in) * (gdn ? 1 : size_t(l.kernel) * size_t(l.kernel));
    const bool ok = l.out > 0 && l.in > 0 && l.kernel > 0 && l.stride > 0 && l.weight.size() == weights &&
                    l.bias.size() == size_t(l.out) && (!gdn || l.in == l.out) &&
                    (l.kind != LayerSpec::Kind::subpixel || (l.out % 4 == 0 && l.kernel == 3 && l.stride == 1)) &&
                    (i == 0 || output_channels(layers[i - 1]) == l.in);
    if (!ok) throw Error(fmt::format("oneDNN transform: layer {} has inconsistent shapes", i));
  }
}

}  // namespace

#ifdef TINY_HAVE_ONEDNN
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// Activations are in 16-channel blocks in a blocked transform (Winograd kernels read only those) where
// the channels fill whole blocks, else channels last (where oneDNN's direct kernels are fastest).
memory::desc activation_desc(memory::dim c, memory::dim h, memory::dim w, bool blocks) {
  return memory::desc({1, c, h, w}, dt::f32, blocks && c % 16 == 0 ? tag::nChw16c : tag::nhwc);
}

bool is_blocked(const memory::desc& d) { return d.data.format_desc.blocking.inner_nblks > 0; }
memory::dim channels(const memory::desc& d) { return d.dims()[1]; }
memory::dim height(const memory::desc& d) { return d.dims()[2]; }
memory::dim width(const memory::desc& d) { return d.dims()[3]; }

// A oneDNN view of a caller's float32 image [1, C, H, W] in `layout` (no copy).
memory user_memory(const float* data, Shape s, Layout layout) {
  return memory(memory::desc({1, s.channels, s.height, s.width}, dt::f32, layout == Layout::nhwc ? tag::nhwc : tag::nchw),
                cpu_engine(), const_cast<float*>(data));
}

// Primitives take their scratch memory from the caller, so that concurrent runs never share it.
dnnl::primitive_attr with_user_scratchpad(dnnl::primitive_attr attr = {}) {
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

// What one run of a step works in: its input, output, scratch memories and oneDNN's scratchpad.
struct StepMemory {
  memory src, dst;
  std::vector<memory> scratch;
  memory pad;
};

// A convolution primitive with its weights reordered into the layout it reads.
struct Convolution {
  dnnl::convolution_forward primitive;
  memory weights, bias;
  memory::desc dst;
  size_t pad_bytes = 0;
  std::string kernel;

  void run(StepMemory& m, memory& src, memory& dst, std::unordered_map<int, memory> extra = {}) const {
    extra.insert({{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, dst},
                  {DNNL_ARG_SCRATCHPAD, m.pad}});
    dnnl::stream stream(cpu_engine());
    primitive.execute(stream, extra);
    stream.wait();
  }
};

Convolution make_convolution(const memory::desc& src, const LayerSpec& layer, const memory::desc& dst,
                             bool winograd, const dnnl::primitive_attr& attr = {}) {
  const memory::dim out = layer.out, in = layer.in, k = layer.kernel;
  const memory::desc weights_any({out, in, k, k}, dt::f32, tag::any), bias_desc({out}, dt::f32, tag::x);
  dnnl::primitive_attr with_relu = attr;
  if (layer.relu_slope) {
    dnnl::post_ops ops = attr.get_post_ops();
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, *layer.relu_slope, 0.f);
    with_relu.set_post_ops(ops);
  }
  auto primitive_desc = [&](dnnl::algorithm algorithm) {
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, algorithm, src, weights_any, bias_desc,
                                      dst, {layer.stride, layer.stride}, {layer.padding, layer.padding},
                                      {layer.padding, layer.padding});
    return dnnl::convolution_forward::primitive_desc(d, with_user_scratchpad(with_relu), cpu_engine());
  };
  dnnl::convolution_forward::primitive_desc pd;
  bool have = false;
  if (winograd && k == 3 && layer.stride == 1) {
    try {
      pd = primitive_desc(dnnl::algorithm::convolution_winograd);
      have = true;
    } catch (const dnnl::error&) {
    }
  }
  if (!have) pd = primitive_desc(dnnl::algorithm::convolution_direct);
  Convolution c{dnnl::convolution_forward(pd), memory(pd.weights_desc(), cpu_engine()),
                memory(bias_desc, cpu_engine()), pd.dst_desc(), pd.scratchpad_desc().get_size(), pd.impl_info_str()};
  // oneDNN's reference kernels are far slower than torch or the fixed-order kernels, which run such a
  // transform instead.
  if (c.kernel.rfind("ref", 0) == 0)
    throw Error(
        fmt::format("only oneDNN's reference kernel for a {}x{} convolution {} -> {} channels", k, k, in, out));
  dnnl::stream stream(cpu_engine());
  memory user(memory::desc({out, in, k, k}, dt::f32, tag::oihw), cpu_engine(), const_cast<float*>(layer.weight.data()));
  dnnl::reorder(user, c.weights).execute(stream, user, c.weights);
  std::memcpy(c.bias.get_data_handle(), layer.bias.data(), size_t(out) * sizeof(float));
  stream.wait();
  return c;
}

// A reorder between two layouts (scratchpad from the caller).
struct Reorder {
  Reorder(const memory::desc& from, const memory::desc& to) {
    dnnl::reorder::primitive_desc pd(cpu_engine(), from, cpu_engine(), to, with_user_scratchpad());
    primitive = dnnl::reorder(pd);
    pad_bytes = pd.scratchpad_desc().get_size();
  }
  void run(const memory& pad, memory& from, memory& to) const {
    dnnl::stream stream(cpu_engine());
    primitive.execute(stream, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}, {DNNL_ARG_SCRATCHPAD, pad}});
    stream.wait();
  }
  dnnl::reorder primitive;
  size_t pad_bytes = 0;
};

// One step of a compiled transform, built for one input layout; immutable, so concurrent runs may
// share it.
class Step {
public:
  virtual ~Step() = default;
  // Runs m.src -> m.dst.
  virtual void run(StepMemory& m) const = 0;
  // The oneDNN kernels it runs (for the debug log).
  virtual std::string kernels() const = 0;

  memory::desc dst;                   // output layout
  std::vector<memory::desc> scratch;  // layouts of the scratch memories it needs
  size_t pad_bytes = 0;               // oneDNN scratchpad it needs
};

class ConvStep : public Step {
public:
  ConvStep(const memory::desc& src, const LayerSpec& layer, bool blocks) {
    const memory::dim k = layer.kernel;
    const memory::dim h = (height(src) + 2 * layer.padding - k) / layer.stride + 1;
    const memory::dim w = (width(src) + 2 * layer.padding - k) / layer.stride + 1;
    conv_ = make_convolution(src, layer, activation_desc(layer.out, h, w, blocks), blocks);
    dst = conv_.dst;
    pad_bytes = conv_.pad_bytes;
  }
  void run(StepMemory& m) const override { conv_.run(m, m.src, m.dst); }
  std::string kernels() const override { return conv_.kernel; }

private:
  Convolution conv_;
};

// The sub-pixel form of a stride-2 transposed convolution: a 3x3 convolution to 4 phases of C channels,
// then the pixel shuffle that interleaves the phases into a 2x larger image.
class SubpixelStep : public Step {
public:
  SubpixelStep(const memory::desc& src, const LayerSpec& layer, bool blocks) : c_(layer.out / 4) {
    const memory::dim h = height(src), w = width(src);
    const bool blocked_phases = blocks && c_ % 16 == 0;
    phases_ = memory::desc({1, 4 * c_, h, w}, dt::f32, blocked_phases ? tag::nChw16c : tag::nhwc);
    // Blocked input to few channels (the image): the convolution writes the layout it has a kernel
    // for, then a reorder to channels last.
    const tag written = blocked_phases ? tag::nChw16c : is_blocked(src) ? tag::any : tag::nhwc;
    conv_ = make_convolution(src, layer, memory::desc({1, 4 * c_, h, w}, dt::f32, written), blocked_phases);
    scratch = {conv_.dst};
    pad_bytes = conv_.pad_bytes;
    if (conv_.dst != phases_) {
      to_phases_.emplace(conv_.dst, phases_);
      scratch.push_back(phases_);
      pad_bytes = std::max(pad_bytes, to_phases_->pad_bytes);
    }
    dst = activation_desc(c_, 2 * h, 2 * w, blocks);
  }
  void run(StepMemory& m) const override {
    conv_.run(m, m.src, m.scratch[0]);
    if (to_phases_) to_phases_->run(m.pad, m.scratch[0], m.scratch[1]);
    shuffle(static_cast<const float*>(m.scratch.back().get_data_handle()), static_cast<float*>(m.dst.get_data_handle()));
  }
  std::string kernels() const override { return conv_.kernel; }

private:
  // Phase r = 2 ry + rx of input pixel (y, x) becomes output pixel (2y + ry, 2x + rx). Blocked: phase r,
  // channel block b is source block r * (C / 16) + b; channels last: channels [r C, (r + 1) C).
  void shuffle(const float* src, float* dst) const {
    const int64_t h = height(phases_), w = width(phases_);
    const bool blocked = is_blocked(phases_);
    const int64_t blocks = blocked ? c_ / 16 : 1, run = blocked ? 16 : c_;
    parallel_for_chunks(0, size_t(blocks * h), 1, [&](size_t begin, size_t end) {
      for (int64_t i = int64_t(begin); i < int64_t(end); ++i) {
        const int64_t b = i / h, y = i % h;
        for (int64_t r = 0; r < 4; ++r) {
          const int64_t ry = r / 2, rx = r % 2;
          const float* s = blocked ? src + (((r * blocks + b) * h + y) * w) * 16 : src + (y * w) * 4 * c_ + r * c_;
          float* d = blocked ? dst + ((b * 2 * h + 2 * y + ry) * 2 * w + rx) * 16 : dst + ((2 * y + ry) * 2 * w + rx) * c_;
          const int64_t s_step = blocked ? 16 : 4 * c_, d_step = 2 * run;
          for (int64_t x = 0; x < w; ++x) std::memcpy(d + x * d_step, s + x * s_step, size_t(run) * sizeof(float));
        }
      }
    });
  }

  memory::dim c_;
  Convolution conv_;
  memory::desc phases_;
  std::optional<Reorder> to_phases_;
};

// GDN / inverse GDN: x / or * sqrt(beta + gamma x^2), as a square, then one 1x1 convolution whose
// post-operations take the root, its reciprocal (forward GDN) and the product with x (oneDNN's x^-1/2
// in one operation is four times slower than the root and x^-1). Channels-last activations go through
// in bands of rows small enough that the two passes meet in cache.
class GdnStep : public Step {
public:
  GdnStep(const memory::desc& src, const LayerSpec& layer) : src_(src) {
    dst = src;
    const memory::dim h = height(src), row_bytes = memory::dim(src.get_size()) / h;
    band_rows_ = is_blocked(src) ? h : std::clamp<memory::dim>(kBandBytes / row_bytes, 1, h);
    full_.emplace(band_desc(band_rows_), layer);
    if (h % band_rows_ != 0) last_.emplace(band_desc(h % band_rows_), layer);
    scratch = {band_desc(band_rows_)};
    pad_bytes = std::max(full_->pad_bytes, last_ ? last_->pad_bytes : 0);
  }
  void run(StepMemory& m) const override {
    const memory::dim h = height(src_);
    const size_t row_bytes = src_.get_size() / size_t(h);
    for (memory::dim r = 0; r < h; r += band_rows_) {
      const Band& band = r + band_rows_ <= h ? *full_ : *last_;
      auto at = [&](const memory& whole) {
        return memory(band.desc, cpu_engine(), static_cast<char*>(whole.get_data_handle()) + size_t(r) * row_bytes);
      };
      memory x = at(m.src), out = at(m.dst);
      memory squared(band.desc, cpu_engine(), m.scratch[0].get_data_handle());
      band.run(m, x, out, squared);
    }
  }
  std::string kernels() const override { return "gdn " + full_->conv.kernel; }

private:
  static constexpr memory::dim kBandBytes = 256 << 10;

  // The primitives for one band shape.
  struct Band {
    Band(const memory::desc& d, const LayerSpec& layer) : desc(d) {
      dnnl::eltwise_forward::primitive_desc sq({dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_square, d, 0.f},
                                               with_user_scratchpad(), cpu_engine());
      square = dnnl::eltwise_forward(sq);
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_sqrt, 0.f, 0.f);
      if (!layer.inverse) ops.append_eltwise(1.f, dnnl::algorithm::eltwise_pow, 1.f, -1.f);
      ops.append_binary(dnnl::algorithm::binary_mul, d);
      product_arg = DNNL_ARG_ATTR_MULTIPLE_POST_OP(ops.len() - 1) | DNNL_ARG_SRC_1;
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops);
      conv = make_convolution(d, layer, d, false, attr);
      pad_bytes = std::max(sq.scratchpad_desc().get_size(), conv.pad_bytes);
    }
    void run(StepMemory& m, memory& x, memory& out, memory& squared) const {
      dnnl::stream stream(cpu_engine());
      square.execute(stream, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, squared}, {DNNL_ARG_SCRATCHPAD, m.pad}});
      stream.wait();
      conv.run(m, squared, out, {{product_arg, x}});
    }

    memory::desc desc;
    dnnl::eltwise_forward square;
    Convolution conv;
    int product_arg = 0;
    size_t pad_bytes = 0;
  };

  memory::desc band_desc(memory::dim rows) const {
    return memory::desc({1, channels(src_), rows, width(src_)}, dt::f32, is_blocked(src_) ? tag::nChw16c : tag::nhwc);
  }

  memory::desc src_;
  memory::dim band_rows_ = 1;
  std::optional<Band> full_, last_;
};

// Storage aligned for oneDNN's vector loads.
class Buffer {
public:
  // Grows to at least `bytes` (contents not kept).
  void reserve(size_t bytes) {
    if (bytes <= size_) return;
    const size_t size = (bytes + 63) / 64 * 64;
    data_.reset();  // the old storage goes first, so that growing never holds both
    size_ = 0;
    data_.reset(static_cast<char*>(std::aligned_alloc(64, size)));
    if (!data_) throw std::bad_alloc();
    size_ = size;
  }
  void* data() const { return data_.get(); }
  size_t size() const { return size_; }

private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> data_;
  size_t size_ = 0;
};

// The steps built for one input size and thread count, and the sizes of the memory they run in:
// two buffers the activations alternate between, each scratch slot, and the scratchpad.
struct Plan {
  memory::desc input;
  std::vector<std::unique_ptr<Step>> steps;
  std::vector<size_t> sizes;
};

// The memory one run of a plan works in.
size_t workspace_bytes(const Plan& plan) {
  size_t total = 0;
  for (size_t s : plan.sizes) total += s;
  return total;
}

// Empties oneDNN's own primitive cache: the plans hold the primitives they run, and the cache would
// otherwise keep those of every discarded plan (some 100 MB over the tile sizes of one large image).
// Its capacity is restored, so that torch's convolutions (training) keep caching theirs.
void forget_cached_primitives() {
  const int capacity = dnnl::get_primitive_cache_capacity();
  dnnl::set_primitive_cache_capacity(0);
  dnnl::set_primitive_cache_capacity(capacity);
}

// Largest workspace a Winograd plan may take (a Kodak-size image fits; larger inputs run direct).
constexpr size_t kWinogradWorkspaceBytes = size_t(384) << 20;

// Memory for one run at a time, kept between runs so that large images do not page-fault every time.
struct Workspace {
  std::vector<Buffer> buffers;
};

}  // namespace

struct Transform::Impl {
  std::vector<LayerSpec> layers;
  bool blocks = false;  // blocked layout (with Winograd): every channel count but the image's fills blocks

  std::mutex mutex;  // guards the two caches below; runs themselves proceed concurrently
  std::map<std::vector<int64_t>, std::shared_ptr<const Plan>> plans;
  std::vector<std::unique_ptr<Workspace>> idle;

  std::shared_ptr<const Plan> build(int64_t c, int64_t h, int64_t w, bool blocks) const {
    auto plan = std::make_shared<Plan>();
    memory::desc src = plan->input = activation_desc(c, h, w, blocks);
    plan->sizes = {0, src.get_size(), 64};  // activations (2), scratchpad, scratch slots
    std::string kernels;
    for (const LayerSpec& layer : layers) {
      std::unique_ptr<Step> step;
      switch (layer.kind) {
        case LayerSpec::Kind::conv: step = std::make_unique<ConvStep>(src, layer, blocks); break;
        case LayerSpec::Kind::subpixel: step = std::make_unique<SubpixelStep>(src, layer, blocks); break;
        case LayerSpec::Kind::gdn: step = std::make_unique<GdnStep>(src, layer); break;
      }
      src = step->dst;
      std::vector<size_t>& sizes = plan->sizes;
      sizes[plan->steps.size() % 2] = std::max(sizes[plan->steps.size() % 2], src.get_size());
      sizes[2] = std::max(sizes[2], step->pad_bytes);
      if (sizes.size() < 3 + step->scratch.size()) sizes.resize(3 + step->scratch.size(), 0);
      for (size_t i = 0; i < step->scratch.size(); ++i) sizes[3 + i] = std::max(sizes[3 + i], step->scratch[i].get_size());
      kernels += (kernels.empty() ? "" : ", ") + step->kernels();
      plan->steps.push_back(std::move(step));
    }
    log::debug("oneDNN transform for {}x{}x{}: {} ({} MB workspace)", c, h, w, kernels, workspace_bytes(*plan) >> 20);
    return plan;
  }

  std::shared_ptr<const Plan> plan_for(int64_t c, int64_t h, int64_t w, int threads) {
    const std::vector<int64_t> key = {c, h, w, threads};
    std::lock_guard<std::mutex> lock(mutex);
    auto& plan = plans[key];
    if (!plan) {
      if (plans.size() > 8) plans = {{key, nullptr}};  // many sizes (a folder of photos): start afresh
      std::shared_ptr<const Plan> built = build(c, h, w, blocks);
      // Winograd's transformed tiles take about three times the activations: past a budget, a large
      // input runs on the direct kernels, so that a tile's memory stays bounded.
      if (blocks && workspace_bytes(*built) > kWinogradWorkspaceBytes) built = build(c, h, w, false);
      plans[key] = built;
      forget_cached_primitives();
      return built;
    }
    return plan;
  }

  std::unique_ptr<Workspace> acquire() {
    std::lock_guard<std::mutex> lock(mutex);
    if (idle.empty()) return std::make_unique<Workspace>();
    auto w = std::move(idle.back());
    idle.pop_back();
    return w;
  }

  void release(std::unique_ptr<Workspace> w) {
    std::lock_guard<std::mutex> lock(mutex);
    idle.push_back(std::move(w));
  }

  void run(const Plan& plan, Workspace& work, const float* x, Shape in, Layout x_layout, float* y,
           Layout y_layout) const {
    // Storage kept from a larger plan is given back first, so that alternating tile sizes never hold
    // the union of their workspaces.
    size_t held = 0;
    for (const Buffer& b : work.buffers) held += b.size();
    if (held > workspace_bytes(plan) + (size_t(64) << 20)) work.buffers.clear();
    work.buffers.resize(std::max(work.buffers.size(), plan.sizes.size()));
    for (size_t i = 0; i < plan.sizes.size(); ++i) work.buffers[i].reserve(plan.sizes[i]);
    const memory pad(memory::desc({memory::dim(plan.sizes[2])}, dt::u8, tag::x), cpu_engine(), work.buffers[2].data());
    memory user = user_memory(x, in, x_layout);
    memory cur = user;
    if (user.get_desc() != plan.input) {
      cur = memory(plan.input, cpu_engine(), work.buffers[1].data());
      Reorder(user.get_desc(), plan.input).run(pad, user, cur);
    }
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      const Step& step = *plan.steps[i];
      StepMemory m{cur, memory(step.dst, cpu_engine(), work.buffers[i % 2].data()), {}, pad};
      for (size_t j = 0; j < step.scratch.size(); ++j)
        m.scratch.emplace_back(step.scratch[j], cpu_engine(), work.buffers[3 + j].data());
      step.run(m);
      cur = m.dst;
    }
    const memory::desc out = cur.get_desc();
    memory y_mem = user_memory(y, {int(channels(out)), int(height(out)), int(width(out))}, y_layout);
    Reorder(out, y_mem.get_desc()).run(pad, cur, y_mem);
  }

  void forward(const float* x, Shape in, Layout x_layout, float* y, Layout y_layout) {
    // oneDNN runs on OpenMP: its threads follow tiny's count (libtorch's setter does the same).
    const int threads = thread_count();
    if (omp_get_max_threads() != threads) omp_set_num_threads(threads);
    std::shared_ptr<const Plan> plan = plan_for(in.channels, in.height, in.width, threads);
    std::unique_ptr<Workspace> work = acquire();
    run(*plan, *work, x, in, x_layout, y, y_layout);
    release(std::move(work));
  }
};

bool Transform::available() { return true; }

std::unique_ptr<Transform> Transform::compile(std::vector<LayerSpec> layers, ConvAlgorithm algorithm) {
  if (layers.empty()) return nullptr;
  check_layers(layers);
  auto impl = std::make_unique<Impl>();
  impl->layers = std::move(layers);
  // Blocked only when every channel count but the image's fills whole blocks (mixed layouts between
  // layers have only reference kernels).
  impl->blocks = algorithm == ConvAlgorithm::winograd && impl->layers.front().in % 16 == 0;
  for (size_t i = 0; i + 1 < impl->layers.size(); ++i)
    if (output_channels(impl->layers[i]) % 16 != 0) impl->blocks = false;
  return std::unique_ptr<Transform>(new Transform(std::move(impl)));
}

void Transform::forward(const float* x, Shape in, Layout x_layout, float* y, Layout y_layout) {
  impl_->forward(x, in, x_layout, y, y_layout);
}

#else

struct Transform::Impl {
  std::vector<LayerSpec> layers;
};
bool Transform::available() { return false; }
std::unique_ptr<Transform> Transform::compile(std::vector<LayerSpec> layers, ConvAlgorithm) {
  check_layers(layers);
  return nullptr;
}
void Transform::forward(const float*, Shape, Layout, float*, Layout) {}

#endif

Transform::Transform(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transform::~Transform() = default;

Shape Transform::output_shape(Shape s) const {
  for (const LayerSpec& l : impl_->layers) {
    switch (l.kind) {
      case LayerSpec::Kind::conv:
        s = {l.out, (s.height + 2 * l.padding - l.kernel) / l.stride + 1, (s.width + 2 * l.padding - l.kernel) / l.stride + 1};
        break;
      case LayerSpec::Kind::subpixel: s = {output_channels(l), 2 * s.height, 2 * s.width}; break;
      case LayerSpec::Kind::gdn: break;
    }
  }
  return s;
}

}  // namespace tiny::onednn
