#include "codec/codec.hpp"

#include "codec/model.hpp"
#include "codec/model_io.hpp"
#include "core/error.hpp"
#include "entropy/container.hpp"
#include "entropy/rans.hpp"
#include "nn/layers.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>

namespace tiny::codec {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr uint64_t kMaxPixels = 256'000'000;
// 2 GB of float32 weights: some twenty times the largest model of the zoo.
constexpr int64_t kMaxParameters = 500'000'000;

int64_t padded(int64_t v) { return (v + kPadMultiple - 1) / kPadMultiple * kPadMultiple; }

// [1, 3, H', W'] in [0, 1], channels last (the pixels' own order, which the convolutions read best),
// H' and W' padded up to the model's multiple by repeating the last row/column.
torch::Tensor to_tensor(const image::Image& img) {
  torch::Tensor t = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {img.height, img.width, 3}, torch::kUInt8)
                        .permute({2, 0, 1})
                        .unsqueeze(0)
                        .to(torch::kFloat32)
                        .div(255.0);
  int64_t ph = padded(img.height) - img.height, pw = padded(img.width) - img.width;
  if (ph == 0 && pw == 0) return t;
  return torch::nn::functional::pad(t, torch::nn::functional::PadFuncOptions({0, pw, 0, ph}).mode(torch::kReplicate))
      .contiguous(torch::MemoryFormat::ChannelsLast);
}

// The top-left width x height of a [1, 3, H', W'] reconstruction as 8-bit pixels.
image::Image to_image(const torch::Tensor& x, int width, int height) {
  torch::Tensor t = x[0].slice(1, 0, height).slice(2, 0, width).clamp(0.0, 1.0).mul(255.0).round();
  t = t.to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  image::Image img = image::Image::blank(width, height);
  std::memcpy(img.pixels.data(), t.data_ptr<uint8_t>(), img.pixels.size());
  return img;
}

// Runs f, turning an allocation failure into a tiny::Error about the image size.
template <typename F>
auto memory_guarded(int width, int height, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
  } catch (const c10::Error& e) {
    if (std::string(e.what()).find("alloc") == std::string::npos) throw;
  }
  throw Error(fmt::format("a {}x{} image is too large for this model in the memory available", width, height));
}

// Reads the streams of a `.tic` with the model's tables; every coder error names the file.
class TicSource : public SymbolSource {
public:
  TicSource(const entropy::TicFile& tic, const std::vector<std::unique_ptr<entropy::RansTables>>& tables)
      : tic_(tic), tables_(tables) {}

  std::vector<int32_t> read(int s, const std::vector<int32_t>& indexes) override {
    return entropy::rans_decode(tic_.substreams[size_t(s)], indexes, *tables_[size_t(s)]);
  }

  int32_t read_one(int s, int32_t index) override {
    auto it = streams_.find(s);
    if (it == streams_.end()) {
      const Bytes& b = tic_.substreams[size_t(s)];
      it = streams_.emplace(s, std::make_unique<entropy::RansStreamDecoder>(b.data(), b.size(), *tables_[size_t(s)])).first;
    }
    return it->second->next(index);
  }

  // Checks that every symbol-by-symbol stream ended exactly.
  void finish() const {
    for (const auto& s : streams_) s.second->finish();
  }

private:
  const entropy::TicFile& tic_;
  const std::vector<std::unique_ptr<entropy::RansTables>>& tables_;
  std::map<int, std::unique_ptr<entropy::RansStreamDecoder>> streams_;
};

// What a version-2 decoder says when the symbols it reads do not fit the bitstream: the file passed its
// CRC, so the decoder's entropy parameters differ from the encoder's.
std::string desync_message(const std::string& detail) {
  return fmt::format("entropy parameters differ from the encoder's (the file is intact, but the decoder computed "
                     "other means or scales than the encoder did: {})",
                     detail);
}

// Reads a `.tic`'s streams, keeping the latent checksum of every symbol read; in a version-2 file a
// coder error means desynchronised entropy parameters and is reported as such.
class CheckedSource : public SymbolSource {
public:
  CheckedSource(const entropy::TicFile& tic, const std::vector<std::unique_ptr<entropy::RansTables>>& tables)
      : source_(tic, tables), portable_(tic.version >= 2), expected_(tic.latent_checksum) {}
  std::vector<int32_t> read(int s, const std::vector<int32_t>& indexes) override {
    std::vector<int32_t> v = checked([&] { return source_.read(s, indexes); });
    checksum_ = entropy::latent_checksum(v.data(), v.size(), checksum_);
    return v;
  }
  int32_t read_one(int s, int32_t index) override {
    const int32_t v = checked([&] { return source_.read_one(s, index); });
    checksum_ = entropy::latent_checksum(&v, 1, checksum_);
    return v;
  }
  // Checks that the streams ended exactly and, in version 2, that the checksum matches.
  void finish() {
    checked([&] {
      source_.finish();
      return 0;
    });
    if (portable_ && checksum_ != expected_)
      throw Error(desync_message(fmt::format("latent checksum {:08x}, the file says {:08x}", checksum_, expected_)));
  }

private:
  template <typename F>
  auto checked(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const Error& e) {
      if (!portable_) throw;
      throw Error(desync_message(e.what()));
    }
  }

  TicSource source_;
  bool portable_;
  uint32_t expected_, checksum_ = 0;
};

}  // namespace

struct Codec::Impl {
  std::shared_ptr<CompressionModel> model;
  ModelFile info;
  std::vector<std::unique_ptr<entropy::RansTables>> tables;
  std::atomic<bool> exact_reconstruction{false};
  std::atomic<int> tic_version{entropy::kTicVersion};
  double quality = 3;  // variable-rate models: the quality compress() codes at

  int levels() const { return rate_levels(info.arch); }
  // How an image is coded at `.tic` version `version` and quality q (variable-rate models: 1..levels).
  CodingOptions options(int version, double q) const {
    return {version >= 2 ? ParameterPath::fixed_order : ParameterPath::torch_v1, levels() > 0 ? q - 1.0 : 0.0, {}};
  }
  // The quality a bitstream was coded at (variable-rate models store it in thousandths).
  double quality_of(const entropy::TicFile& tic, const std::string& name) const {
    const double q = bitstream_quality(tic.arch, tic.quality);
    if (levels() == 0) return q;
    if (q < 1.0 || q > levels())
      throw Error(file_error(name, fmt::format("quality {} is outside this model's 1..{}", q, levels())));
    return q;
  }

  // Builds the coder tables of every entropy model and puts the model in inference form.
  void prepare(const std::string& name) {
    model->eval();
    // Channels-last runs oneDNN's convolutions without layout conversions.
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    for (nn::EntropyModel* m : model->entropy_models()) {
      try {
        tables.push_back(std::make_unique<entropy::RansTables>(m->cdfs()));
      } catch (const Error& e) {
        throw Error(file_error(name, fmt::format("model has unusable CDF tables: {}", e.what())));
      }
    }
  }

  ArchConfig config() const { return model->config; }
  // Codes the image (or its analysis `latent`, when defined) at quality q to `.tic` bytes.
  Bytes encode(const image::Image& img, const torch::Tensor& latent, int width, int height, double q,
               image::Image* reconstruction, StageTimes* times) const;
  // Checks a parsed bitstream against the model and decodes its latent y_hat (errors name the file).
  torch::Tensor decode_latents(const entropy::TicFile& tic, const std::string& name) const;
};

Codec::Codec(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Codec::Codec(Codec&&) noexcept = default;
Codec& Codec::operator=(Codec&&) noexcept = default;
Codec::~Codec() = default;

Codec Codec::from_file(const std::string& path) {
  ModelFile file = read_model_file(path);
  // The header's N and M decide what the network allocates: check the file holds that many weights
  // first (a forged 141-byte header must not cost gigabytes), and that the network is of a sane size.
  const int64_t needed = parameter_count(arch_config(file));
  int64_t held = 0;
  for (const auto& t : file.tensors)
    if (t.dtype != DType::i32) held += int64_t(element_count(t.shape));
  if (held < needed - needed / 100)
    throw Error(file_error(path, fmt::format("holds {} weights where a {} model with N={} M={} has {}: the file is "
                                             "truncated or its header is wrong", held, file.arch, file.N, file.M, needed)));
  if (needed > kMaxParameters)
    throw Error(file_error(path, fmt::format("a {} model with N={} M={} has {} weights, more than tiny loads ({})",
                                             file.arch, file.N, file.M, needed, kMaxParameters)));
  auto impl = std::make_unique<Impl>();
  impl->model = make_model(arch_config(file));
  load_tensors(*impl->model, file.tensors, path);
  file.tensors.clear();
  impl->info = std::move(file);
  impl->prepare(path);
  return Codec(std::move(impl));
}

Codec Codec::untrained(const ArchConfig& config, uint64_t seed) {
  auto impl = std::make_unique<Impl>();
  torch::manual_seed(seed);
  impl->model = make_model(config);
  impl->model->update();
  ModelFile& f = impl->info;
  f.arch = config.arch, f.quality = config.quality, f.N = config.N, f.M = config.M, f.lambda = config.lambda;
  f.provenance = {{"untrained", true}, {"seed", seed}};
  // The hash is the one the model would have in a float32 file.
  f.tensors = model_tensors(*impl->model, false);
  serialize_model(f);
  f.tensors.clear();
  impl->prepare(config.arch);
  return Codec(std::move(impl));
}

void Codec::set_exact_reconstruction(bool on) { impl_->exact_reconstruction = on; }

void Codec::set_quality(double q) {
  const int levels = impl_->levels();
  if (levels == 0)
    throw UsageError(fmt::format("{} quality {} is a fixed-rate model: its quality cannot be chosen", impl_->info.arch,
                                 impl_->info.quality));
  if (!(q >= 1.0 && q <= levels))
    throw UsageError(fmt::format("quality {} is outside this variable-rate model's 1..{}", q, levels));
  impl_->quality = std::round(q * 1000.0) / 1000.0;
}

double bitstream_quality(const std::string& arch, uint32_t stored) {
  return rate_levels(arch) > 0 ? stored / 1000.0 : double(stored);
}

double Codec::quality() const { return impl_->levels() > 0 ? impl_->quality : impl_->info.quality; }

void Codec::set_tic_version(int version) {
  if (version < entropy::kTicOldestVersion || version > entropy::kTicVersion)
    throw UsageError(fmt::format(".tic version {} is not one tiny writes ({} to {})", version,
                                 entropy::kTicOldestVersion, entropy::kTicVersion));
  impl_->tic_version = version;
}

void Codec::set_inference(Inference how) {
  impl_->model->set_onednn(how == Inference::onednn);
  for (const auto& m : impl_->model->modules())
    if (auto* d = dynamic_cast<nn::Deconv2dImpl*>(m.get())) d->subpixel = how != Inference::torch_transposed;
}

const ModelFile& Codec::info() const { return impl_->info; }

ModelFile Codec::model_file() const {
  ModelFile file = impl_->info;
  file.tensors = model_tensors(*impl_->model, false);
  return file;
}

void Codec::save(const std::string& path, bool half, bool overwrite) const {
  write_model(path, *impl_->model, impl_->info.provenance, half, overwrite);
}

struct Codec::Analysis {
  const Impl* owner = nullptr;
  torch::Tensor latent;  // g_a(x)
  int width = 0, height = 0;
};

std::shared_ptr<const Codec::Analysis> Codec::analyze(const image::Image& img) const {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot compress an empty image");
  torch::InferenceMode guard;
  auto a = std::make_shared<Analysis>();
  a->owner = impl_.get(), a->width = img.width, a->height = img.height;
  a->latent = memory_guarded(img.width, img.height, [&] { return impl_->model->analyze(to_tensor(img)); });
  return a;
}

Bytes Codec::compress(const Analysis& a, double quality, image::Image* reconstruction, StageTimes* times) const {
  if (a.owner != impl_.get()) throw UsageError("an image analysed by another codec cannot be coded by this one");
  if (impl_->levels() > 0 && !(quality >= 1.0 && quality <= impl_->levels()))
    throw UsageError(fmt::format("quality {} is outside this variable-rate model's 1..{}", quality, impl_->levels()));
  if (impl_->levels() == 0 && quality != double(impl_->info.quality))
    throw UsageError(fmt::format("{} quality {} is a fixed-rate model: it cannot code at quality {}", impl_->info.arch,
                                 impl_->info.quality, quality));
  torch::InferenceMode guard;
  return impl_->encode({}, a.latent, a.width, a.height, std::round(quality * 1000.0) / 1000.0, reconstruction, times);
}

Bytes Codec::compress(const image::Image& img, image::Image* reconstruction, StageTimes* times) const {
  if (img.width <= 0 || img.height <= 0) throw Error("cannot compress an empty image");
  torch::InferenceMode guard;
  return impl_->encode(img, {}, img.width, img.height, impl_->quality, reconstruction, times);
}

Bytes Codec::Impl::encode(const image::Image& img, const torch::Tensor& latent, int width, int height, double q,
                          image::Image* reconstruction, StageTimes* times) const {
  StageTimes t;
  auto t0 = std::chrono::steady_clock::now();
  const int version = tic_version;
  Encoded e = memory_guarded(width, height, [&] {
    CodingOptions coding = options(version, q);
    coding.latent = latent;
    return model->compress(latent.defined() ? torch::Tensor() : to_tensor(img), coding);
  });
  t.transforms = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  entropy::TicFile tic;
  tic.version = uint16_t(version);
  tic.arch = info.arch;
  tic.quality = levels() > 0 ? uint32_t(std::lround(q * 1000.0)) : uint32_t(info.quality);
  tic.model_hash = info.hash;
  tic.width = uint32_t(width), tic.height = uint32_t(height);
  tic.wavefront = model->codes_in_wavefronts();
  tic.latent_shapes.push_back({uint32_t(e.y_hat.size(1)), uint32_t(e.latent_h), uint32_t(e.latent_w)});
  for (size_t s = 0; s < e.streams.size(); ++s) {
    const std::vector<int32_t>& symbols = e.streams[s].symbols;
    tic.substreams.push_back(entropy::rans_encode(symbols, e.streams[s].indexes, *tables[s]));
    tic.latent_checksum = entropy::latent_checksum(symbols.data(), symbols.size(), tic.latent_checksum);
  }
  Bytes out = entropy::write_tic(tic);
  t.entropy = seconds_since(t0);

  if (reconstruction) {
    t0 = std::chrono::steady_clock::now();
    *reconstruction = memory_guarded(width, height, [&] {
      return to_image(model->synthesize(e.y_hat, exact_reconstruction), width, height);
    });
    t.synthesis = seconds_since(t0);
  }
  if (times) *times = t;
  return out;
}

torch::Tensor Codec::Impl::decode_latents(const entropy::TicFile& tic, const std::string& name) const {
  const ModelFile& m = info;
  if (tic.model_hash != m.hash)
    throw Error(file_error(name, fmt::format("bitstream was made with another model ({} quality {}, hash {}); this "
                                             "model is {} quality {}, hash {}",
                                             tic.arch, tic.quality, hash_hex(tic.model_hash), m.arch, m.quality,
                                             hash_hex(m.hash))));
  if (uint64_t(tic.width) * tic.height > kMaxPixels)
    throw Error(file_error(name, fmt::format("bitstream claims a {}x{} image, above the limit", tic.width, tic.height)));
  const int64_t lh = padded(tic.height) / 16, lw = padded(tic.width) / 16;
  if (tic.width == 0 || tic.height == 0 || tic.latent_shapes.size() != 1 || tic.latent_shapes[0].size() != 3 ||
      tic.latent_shapes[0][0] != uint32_t(m.M) || tic.latent_shapes[0][1] != lh || tic.latent_shapes[0][2] != lw ||
      tic.substreams.size() != tables.size())
    throw Error(file_error(name, "bitstream header does not match its image size or model"));
  if (tic.wavefront != model->codes_in_wavefronts())
    throw Error(file_error(name, tic.wavefront ? "bitstream claims wavefront order for a model without context model"
                                               : "bitstream codes its latents in raster order (made by an earlier "
                                                 "tiny); this version decodes wavefront order: encode the image again"));
  const CodingOptions coding = options(tic.version, quality_of(tic, name));
  try {
    CheckedSource source(tic, tables);
    torch::Tensor y_hat = memory_guarded(int(tic.width), int(tic.height),
                                         [&] { return model->decompress(source, lh, lw, coding); });
    source.finish();
    return y_hat;
  } catch (const Error& e) {
    throw Error(file_error(name, e.what()));
  }
}

void Codec::verify(const Bytes& data, const std::string& name) const {
  torch::InferenceMode guard;
  impl_->decode_latents(entropy::read_tic(data, name), name);
}

image::Image Codec::decompress(const Bytes& data, const std::string& name, StageTimes* times) const {
  entropy::TicFile tic = entropy::read_tic(data, name);
  torch::InferenceMode guard;
  StageTimes t;
  auto t0 = std::chrono::steady_clock::now();
  torch::Tensor y_hat = impl_->decode_latents(tic, name);
  t.transforms = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  image::Image img = memory_guarded(int(tic.width), int(tic.height), [&] {
    return to_image(impl_->model->synthesize(y_hat, impl_->exact_reconstruction), int(tic.width), int(tic.height));
  });
  t.synthesis = seconds_since(t0);
  if (times) *times = t;
  return img;
}

}  // namespace tiny::codec
