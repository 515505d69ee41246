#include "codec/codec.hpp"

#include "codec/model.hpp"
#include "codec/model_io.hpp"
#include "codec/symbol_source.hpp"
#include "codec/tic_header.hpp"
#include "codec/tile_grid.hpp"
#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "entropy/container.hpp"
#include "entropy/rans.hpp"
#include "nn/layers.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <optional>

namespace tiny::codec {
namespace {

// Any image up to 16384 x 16384 pixels: tiles keep the memory bounded whatever the size.
// 2 GB of float32 weights: some twenty times the largest model of the zoo.
constexpr int64_t kMaxParameters = 500'000'000;

// The rows of an image as its padded form has them (rows below the image repeat its last row, columns
// right of it its last column), read from a RowReader band by band: only the rows that the windows
// still to come reach are held.
class PaddedRows {
public:
  PaddedRows(image::RowReader& in) : in_(in), row_bytes_(size_t(in.width()) * 3) {}

  // The window's pixels as a [1, 3, h, w] tensor in [0, 1], channels last.
  torch::Tensor window(const Rect& r) {
    const int64_t last_row = std::min<int64_t>(r.y1, in_.height());
    if (last_row > first_ + held()) {
      const int64_t count = last_row - (first_ + held());
      buffer_.resize(buffer_.size() + size_t(count) * row_bytes_);
      in_.read(buffer_.data() + buffer_.size() - size_t(count) * row_bytes_, int(count));
    }
    const int64_t w = in_.width();
    torch::Tensor t = torch::empty({r.height(), r.width(), 3}, torch::kUInt8);
    uint8_t* out = t.data_ptr<uint8_t>();
    for (int64_t y = r.y0; y < r.y1; ++y) {
      const uint8_t* src = buffer_.data() + size_t(std::min<int64_t>(y, in_.height() - 1) - first_) * row_bytes_;
      const int64_t inside = std::max<int64_t>(0, std::min(r.x1, w) - r.x0);
      std::memcpy(out, src + r.x0 * 3, size_t(inside) * 3);
      for (int64_t x = inside; x < r.width(); ++x) std::memcpy(out + x * 3, src + (w - 1) * 3, 3);
      out += r.width() * 3;
    }
    return t.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(255.0).contiguous(torch::MemoryFormat::ChannelsLast);
  }

  // Forgets the rows above y (no window reaches them again); the image's last row is always kept.
  void release_above(int64_t y) {
    const int64_t drop = std::min(std::min<int64_t>(y, in_.height() - 1) - first_, held());
    if (drop <= 0) return;
    buffer_.erase(buffer_.begin(), buffer_.begin() + ptrdiff_t(size_t(drop) * row_bytes_));
    first_ += drop;
  }

private:
  int64_t held() const { return int64_t(buffer_.size() / row_bytes_); }
  image::RowReader& in_;
  size_t row_bytes_;
  std::vector<uint8_t> buffer_;
  int64_t first_ = 0;
};

// Rows [y0, y1) and columns [x0, x1) of a [1, 3, H, W] reconstruction as 8-bit RGB, packed.
torch::Tensor to_pixels(const torch::Tensor& x, const Rect& r) {
  torch::Tensor t = x[0].slice(1, r.y0, r.y1).slice(2, r.x0, r.x1).clamp(0.0, 1.0).mul(255.0).round();
  return t.to(torch::kUInt8).permute({1, 2, 0}).contiguous();
}

// The synthesis of a tiled image, fed one row of tiles' latents at a time: each band of pixel rows is
// synthesized once the latents below it are known (its tiles see kSynthesisMargin latents of every
// neighbour), then handed to the writer and forgotten.
class BandSynthesis {
public:
  BandSynthesis(CompressionModel& model, const TileGrid& grid, bool exact, int width, int height,
                image::RowWriter& out)
      : model_(model), grid_(grid), exact_(exact), width_(width), height_(height), out_(out) {
    out_.start(width, height);
  }
  // Takes y_hat of the next row of tiles, [1, M, rows, latent width].
  void push(torch::Tensor row) {
    if (current_.defined()) synthesize(&row);
    // Only the margin of the row above is seen again.
    if (current_.defined()) above_ = current_.slice(2, std::max<int64_t>(0, current_.size(2) - kSynthesisMargin)).clone();
    current_ = std::move(row);
  }
  // Synthesizes the last band.
  void finish() { synthesize(nullptr); }
  double seconds = 0;

private:
  void synthesize(const torch::Tensor* below) {
    const Stopwatch t0;
    const int64_t top = above_.defined() ? std::min(kSynthesisMargin, above_.size(2)) : 0;
    const int64_t bottom = below ? std::min(kSynthesisMargin, below->size(2)) : 0;
    const Rect band = grid_.tile_pixels(0, band_);
    const int64_t rows = std::min<int64_t>(band.y1, height_) - band.y0;
    std::vector<uint8_t> pixels(size_t(rows) * size_t(width_) * 3);
    for (int64_t c = 0; c < grid_.columns(); ++c) {
      const Rect tile = grid_.tile_pixels(c, band_), window = grid_.synthesis_window(c, band_);
      // The window's latents: the margin above, this row of tiles, the margin below.
      std::vector<torch::Tensor> parts;
      if (top > 0) parts.push_back(above_.slice(2, above_.size(2) - top).slice(3, window.x0, window.x1));
      parts.push_back(current_.slice(3, window.x0, window.x1));
      if (bottom > 0) parts.push_back(below->slice(2, 0, bottom).slice(3, window.x0, window.x1));
      const torch::Tensor yw = parts.size() == 1 && window.width() == current_.size(3) ? current_ : torch::cat(parts, 2);
      const int64_t left = tile.x0 - window.x0 * kLatentStride, cols = std::min<int64_t>(tile.x1, width_) - tile.x0;
      const torch::Tensor p = to_pixels(model_.synthesize(yw, exact_),
                                        {left, top * kLatentStride, left + cols, top * kLatentStride + rows});
      const uint8_t* src = p.data_ptr<uint8_t>();
      for (int64_t r = 0; r < rows; ++r)
        std::memcpy(pixels.data() + (size_t(r) * size_t(width_) + size_t(tile.x0)) * 3, src + r * cols * 3, size_t(cols) * 3);
    }
    out_.write(pixels.data(), int(rows));
    ++band_;
    seconds += t0.seconds();
  }

  CompressionModel& model_;
  const TileGrid& grid_;
  bool exact_;
  int width_, height_;
  image::RowWriter& out_;
  torch::Tensor above_, current_;
  int64_t band_ = 0;
};

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

}  // namespace

struct Codec::Impl {
  std::shared_ptr<CompressionModel> model;
  ModelFile info;
  std::vector<std::unique_ptr<entropy::RansTables>> tables;
  std::atomic<bool> exact_reconstruction{false};
  std::atomic<int> tic_version{entropy::kTicVersion};
  std::atomic<int64_t> tile_size{kDefaultTileSize};
  double quality = 3;  // variable-rate models: the quality compress() codes at

  int levels() const { return rate_levels(info.arch); }
  // How an image is coded at `.tic` version `version` and quality q (variable-rate models: the level, 0..levels-1).
  CodingOptions options(int version, double q) const {
    return {version >= 2 ? ParameterPath::fixed_order : ParameterPath::torch_v1, levels() > 0 ? q : 0.0};
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
  // Gives the latent of tile (c, r), asked for row by row.
  using TileLatent = std::function<torch::Tensor(int64_t c, int64_t r)>;
  // Codes the tiles of a width x height image at quality q to `.tic` bytes; `reconstruction` (if
  // given) receives the pixels decompress() will give, band by band.
  Bytes encode(const TileGrid& grid, int width, int height, int version, double q, const TileLatent& latent,
               image::RowWriter* reconstruction, StageTimes* times) const;
  // Checks a parsed bitstream's header against the model and returns its tiles (errors name the file).
  TileGrid check_header(const entropy::TicFile& tic, const std::string& name) const;
  // Decodes y_hat of every tile, handing each row of tiles to `row` as [1, M, rows, latent width], and
  // checks that the streams end exactly and the latent checksum (errors name the file).
  void decode_latents(const entropy::TicFile& tic, const TileGrid& grid, const std::string& name,
                      const std::function<void(torch::Tensor)>& row) const;
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
  if (!(q >= 0.0 && q <= levels - 1))
    throw UsageError(fmt::format("quality {} is outside this variable-rate model's 0..{}", q, levels - 1));
  impl_->quality = std::round(q * 1000.0) / 1000.0;
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

void Codec::set_tile_size(int pixels) {
  if (pixels < int(entropy::kTicTileMultiple) || pixels % int(entropy::kTicTileMultiple) != 0 ||
      pixels > int(entropy::kTicMaxTileSize))
    throw UsageError(fmt::format("tile size {} is not a multiple of {} from {} to {}", pixels,
                                 entropy::kTicTileMultiple, entropy::kTicTileMultiple, entropy::kTicMaxTileSize));
  impl_->tile_size = pixels;
}

Bytes Codec::compress(const image::Image& img, image::Image* reconstruction, StageTimes* times) const {
  image::ImageRowReader rows(img);
  if (!reconstruction) return compress(rows, nullptr, times);
  image::ImageRowWriter recon;
  Bytes tic = compress(rows, &recon, times);
  *reconstruction = recon.take();
  return tic;
}

namespace {

// The tiles an image is coded in at `.tic` version `version` (before 3: one tile).
TileGrid tile_grid(int width, int height, int version, int64_t tile_size) {
  return TileGrid(width, height, version >= 3 ? tile_size : std::max(padded_size(width), padded_size(height)));
}

// The latent of tile (c, r): the analysis of its window, cropped to the tile's own latents.
torch::Tensor analyze_tile(CompressionModel& model, PaddedRows& pixels, const TileGrid& grid, int64_t c, int64_t r) {
  const Rect window = grid.analysis_window(c, r), tile = grid.tile_pixels(c, r);
  if (c == 0 && r > 0) pixels.release_above(window.y0);
  torch::Tensor y = model.analyze(pixels.window(window));
  if (tile.width() == window.width() && tile.height() == window.height()) return y;
  return y.slice(2, (tile.y0 - window.y0) / kLatentStride, (tile.y1 - window.y0) / kLatentStride)
      .slice(3, (tile.x0 - window.x0) / kLatentStride, (tile.x1 - window.x0) / kLatentStride)
      .contiguous(torch::MemoryFormat::ChannelsLast);
}

void check_size(int width, int height) {
  if (width <= 0 || height <= 0) throw Error("cannot compress an empty image");
  if (uint64_t(width) * uint64_t(height) > kMaxPixels)
    throw Error(fmt::format("a {}x{} image is above the limit of {} pixels", width, height, kMaxPixels));
}

}  // namespace

Bytes Codec::Impl::encode(const TileGrid& grid, int width, int height, int version, double q, const TileLatent& latent,
                          image::RowWriter* reconstruction, StageTimes* times) const {
  entropy::TicFile tic;
  tic.version = uint16_t(version);
  tic.arch = info.arch;
  tic.quality = levels() > 0 ? uint32_t(std::lround(q * 1000.0)) : uint32_t(info.quality);
  tic.model_hash = info.hash;
  tic.width = uint32_t(width), tic.height = uint32_t(height);
  tic.wavefront = model->codes_in_wavefronts();
  tic.tile_size = version >= 3 ? uint32_t(grid.tile_size()) : 0;
  tic.latent_shapes.push_back({uint32_t(model->config.M), uint32_t(grid.latent_height()), uint32_t(grid.latent_width())});
  const CodingOptions coding = options(version, q);
  StageTimes t;
  memory_guarded(width, height, [&] {
    std::optional<BandSynthesis> synthesis;
    if (reconstruction) synthesis.emplace(*model, grid, exact_reconstruction, width, height, *reconstruction);
    for (int64_t r = 0; r < grid.rows(); ++r) {
      std::vector<torch::Tensor> y_hat;
      for (int64_t c = 0; c < grid.columns(); ++c) {
        Stopwatch t0;
        Encoded e = model->compress_latent(latent(c, r), coding);
        t.transforms += t0.lap();
        for (size_t s = 0; s < e.streams.size(); ++s) {
          const std::vector<int32_t>& symbols = e.streams[s].symbols;
          tic.substreams.push_back(entropy::rans_encode(symbols, e.streams[s].indexes, *tables[s]));
          tic.latent_checksum = entropy::latent_checksum(symbols.data(), symbols.size(), tic.latent_checksum);
        }
        t.entropy += t0.seconds();
        if (synthesis) y_hat.push_back(std::move(e.y_hat));
      }
      if (synthesis) synthesis->push(y_hat.size() == 1 ? y_hat[0] : torch::cat(y_hat, 3));
    }
    if (synthesis) {
      synthesis->finish();
      t.synthesis = synthesis->seconds;
    }
    return 0;
  });
  const Stopwatch t0;
  Bytes out = entropy::write_tic(tic);
  t.entropy += t0.seconds();
  if (times) *times = t;
  return out;
}

Bytes Codec::compress(image::RowReader& rows, image::RowWriter* reconstruction, StageTimes* times) const {
  const int width = rows.width(), height = rows.height();
  check_size(width, height);
  torch::InferenceMode guard;
  const int version = impl_->tic_version;
  const TileGrid grid = tile_grid(width, height, version, impl_->tile_size);
  PaddedRows pixels(rows);
  return impl_->encode(
      grid, width, height, version, impl_->quality,
      [&](int64_t c, int64_t r) { return analyze_tile(*impl_->model, pixels, grid, c, r); }, reconstruction, times);
}

struct Codec::Analysis {
  const Impl* owner = nullptr;
  int width = 0, height = 0, version = 0;
  int64_t tile_size = 0;
  std::vector<torch::Tensor> tiles;  // each tile's latent, row by row
};

std::shared_ptr<const Codec::Analysis> Codec::analyze(const image::Image& img) const {
  check_size(img.width, img.height);
  torch::InferenceMode guard;
  auto a = std::make_shared<Analysis>();
  a->owner = impl_.get(), a->width = img.width, a->height = img.height;
  a->version = impl_->tic_version, a->tile_size = impl_->tile_size;
  const TileGrid grid = tile_grid(img.width, img.height, a->version, a->tile_size);
  image::ImageRowReader rows(img);
  PaddedRows pixels(rows);
  memory_guarded(img.width, img.height, [&] {
    for (int64_t r = 0; r < grid.rows(); ++r)
      for (int64_t c = 0; c < grid.columns(); ++c) a->tiles.push_back(analyze_tile(*impl_->model, pixels, grid, c, r));
    return 0;
  });
  return a;
}

Bytes Codec::compress(const Analysis& a, double quality, image::Image* reconstruction, StageTimes* times) const {
  if (a.owner != impl_.get()) throw UsageError("an image analysed by another codec cannot be coded by this one");
  if (impl_->levels() > 0 && !(quality >= 0.0 && quality <= impl_->levels() - 1))
    throw UsageError(fmt::format("quality {} is outside this variable-rate model's 0..{}", quality, impl_->levels() - 1));
  if (impl_->levels() == 0 && quality != double(impl_->info.quality))
    throw UsageError(fmt::format("{} quality {} is a fixed-rate model: it cannot code at quality {}", impl_->info.arch,
                                 impl_->info.quality, quality));
  torch::InferenceMode guard;
  const TileGrid grid = tile_grid(a.width, a.height, a.version, a.tile_size);
  const auto latent = [&](int64_t c, int64_t r) { return a.tiles[size_t(r * grid.columns() + c)]; };
  const double q = std::round(quality * 1000.0) / 1000.0;
  if (!reconstruction) return impl_->encode(grid, a.width, a.height, a.version, q, latent, nullptr, times);
  image::ImageRowWriter recon;
  Bytes tic = impl_->encode(grid, a.width, a.height, a.version, q, latent, &recon, times);
  *reconstruction = recon.take();
  return tic;
}

TileGrid Codec::Impl::check_header(const entropy::TicFile& tic, const std::string& name) const {
  return check_tic_header(tic, info, tables.size(), model->codes_in_wavefronts(), name);
}

void Codec::Impl::decode_latents(const entropy::TicFile& tic, const TileGrid& grid, const std::string& name,
                                 const std::function<void(torch::Tensor)>& row) const {
  const CodingOptions coding = options(tic.version, tic_quality(tic, name));
  try {
    CheckedSource source(tic, tables);
    memory_guarded(int(tic.width), int(tic.height), [&] {
      for (int64_t r = 0; r < grid.rows(); ++r) {
        std::vector<torch::Tensor> tiles;
        for (int64_t c = 0; c < grid.columns(); ++c) {
          const Rect l = grid.tile_latents(c, r);
          source.start_tile(size_t(r * grid.columns() + c));
          tiles.push_back(model->decompress(source, l.height(), l.width(), coding));
        }
        if (row) row(tiles.size() == 1 ? tiles[0] : torch::cat(tiles, 3));
      }
      return 0;
    });
    source.finish();
  } catch (const Error& e) {
    throw Error(file_error(name, e.what()));
  }
}

void Codec::verify(const Bytes& data, const std::string& name) const {
  torch::InferenceMode guard;
  const entropy::TicFile tic = entropy::read_tic(data, name);
  impl_->decode_latents(tic, impl_->check_header(tic, name), name, nullptr);
}

image::Image Codec::decompress(const Bytes& data, const std::string& name, StageTimes* times) const {
  image::ImageRowWriter out;
  decompress(data, name, out, times);
  return out.take();
}

void Codec::decompress(const Bytes& data, const std::string& name, image::RowWriter& out, StageTimes* times) const {
  const entropy::TicFile tic = entropy::read_tic(data, name);
  torch::InferenceMode guard;
  const TileGrid grid = impl_->check_header(tic, name);
  const Stopwatch t0;
  BandSynthesis synthesis(*impl_->model, grid, impl_->exact_reconstruction, int(tic.width), int(tic.height), out);
  impl_->decode_latents(tic, grid, name, [&](torch::Tensor row) {
    memory_guarded(int(tic.width), int(tic.height), [&] {
      synthesis.push(std::move(row));
      return 0;
    });
  });
  memory_guarded(int(tic.width), int(tic.height), [&] {
    synthesis.finish();
    return 0;
  });
  if (times) {
    times->synthesis = synthesis.seconds;
    times->transforms = t0.seconds() - synthesis.seconds;
    times->entropy = 0;
  }
}

}  // namespace tiny::codec
