// Decoding a whole `.tic`: the header checked against the model, each row of tiles' latents decoded,
// each band of pixel rows synthesized from its tiles' windows (the tile's latents and
// kSynthesisMargin of every neighbour's) once the row below is known, then cropped, converted to
// 8-bit RGB as `tiny decompress` converts them and handed on. Memory: three rows of tiles' latents,
// one tile's synthesis and one band of pixel rows at a time.
#include "decoder/decoder.hpp"

#include "codec/symbol_source.hpp"
#include "codec/tic_header.hpp"
#include "codec/tile_grid.hpp"
#include "codec/zoo.hpp"
#include "decoder/latents.hpp"
#include "decoder/model.hpp"
#include "entropy/container.hpp"
#include "core/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace tiny::decoder {
namespace {

using codec::kLatentStride;
using codec::kSynthesisMargin;
using codec::Rect;
using codec::TileGrid;
using kernels::FeatureMap;

// The values of position (y, x) of a feature map, channels innermost.
const float* values_at(const FeatureMap& f, int y, int x) {
  return f.data.data() + (size_t(y) * size_t(f.width) + size_t(x)) * size_t(f.channels);
}

// Rows [y0, y1) of a feature map.
FeatureMap rows_of(const FeatureMap& f, int y0, int y1) {
  FeatureMap out(y1 - y0, f.width, f.channels);
  const size_t row = size_t(f.width) * size_t(f.channels);
  std::memcpy(out.data.data(), f.data.data() + size_t(y0) * row, size_t(y1 - y0) * row * sizeof(float));
  return out;
}

// A reconstruction value in [0, 1] as an 8-bit level: clamped, times 255, rounded half to even (torch's
// clamp, mul and round).
uint8_t to_level(float v) {
  if (v != v) return 0;
  const float c = std::min(std::max(v, 0.0f), 1.0f);
  return uint8_t(std::nearbyint(c * 255.0f));
}

// g_s of one tile's window: on oneDNN in fast mode where built in (the fixed-order kernels run a
// window oneDNN cannot), else on the fixed-order kernels.
FeatureMap synthesize_window(const ModelData& model, const FeatureMap& y, Synthesis mode) {
  if (mode == Synthesis::fast && model.fast_synthesis) {
    try {
      const onednn::Shape in{y.channels, y.height, y.width};
      const onednn::Shape out = model.fast_synthesis->output_shape(in);
      FeatureMap x(out.height, out.width, out.channels);
      model.fast_synthesis->forward(y.data.data(), in, onednn::Layout::nhwc, x.data.data(), onednn::Layout::nhwc);
      return x;
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      log::debug("oneDNN cannot run the synthesis ({}); the fixed-order kernels run it", e.what());
    }
  }
  return model.synthesis->forward(y);
}

class BandSynthesis {
public:
  BandSynthesis(const ModelData& model, const TileGrid& grid, uint32_t width, uint32_t height, Synthesis mode,
                const RowSink& sink)
      : model_(model), grid_(grid), width_(width), height_(height), mode_(mode), sink_(sink) {}
  // Takes y_hat of the next row of tiles [rows, latent width, M]; synthesizes the band above it.
  void push(FeatureMap row) {
    if (current_) synthesize(&row);
    if (current_) above_ = rows_of(*current_, std::max(0, current_->height - int(kSynthesisMargin)), current_->height);
    current_ = std::move(row);
  }
  // Synthesizes the last band.
  void finish() { synthesize(nullptr); }

private:
  void synthesize(const FeatureMap* below) {
    const FeatureMap& cur = *current_;
    const int top = above_ ? std::min(int(kSynthesisMargin), above_->height) : 0;
    const int bottom = below ? std::min(int(kSynthesisMargin), below->height) : 0;
    const Rect band = grid_.tile_pixels(0, band_);
    const int64_t rows = std::min<int64_t>(band.y1, height_) - band.y0;
    pixels_.resize(size_t(rows) * width_ * 3);
    for (int64_t c = 0; c < grid_.columns(); ++c) {
      const Rect tile = grid_.tile_pixels(c, band_), window = grid_.synthesis_window(c, band_);
      // The window's latents: the margin above, this row of tiles, the margin below.
      FeatureMap y(top + cur.height + bottom, int(window.width()), cur.channels);
      const size_t span = size_t(window.width()) * size_t(cur.channels);
      auto copy_rows = [&](const FeatureMap& from, int first, int count, int to) {
        for (int r = 0; r < count; ++r)
          std::memcpy(&y.at(to + r, 0, 0), values_at(from, first + r, int(window.x0)), span * sizeof(float));
      };
      if (top > 0) copy_rows(*above_, above_->height - top, top, 0);
      copy_rows(cur, 0, cur.height, top);
      if (bottom > 0) copy_rows(*below, 0, bottom, top + cur.height);
      const FeatureMap x = synthesize_window(model_, y, mode_);
      const int64_t left = tile.x0 - window.x0 * kLatentStride, cols = std::min<int64_t>(tile.x1, width_) - tile.x0;
      const int64_t y0 = top * kLatentStride;
      for (int64_t r = 0; r < rows; ++r) {
        uint8_t* out = pixels_.data() + (size_t(r) * width_ + size_t(tile.x0)) * 3;
        const float* in = values_at(x, int(y0 + r), int(left));
        for (size_t i = 0; i < size_t(cols) * 3; ++i) out[i] = to_level(in[i]);
      }
    }
    sink_.rows(pixels_.data(), uint32_t(band.y0), uint32_t(rows));
    ++band_;
  }

  const ModelData& model_;
  const TileGrid& grid_;
  uint32_t width_, height_;
  Synthesis mode_;
  const RowSink& sink_;
  std::vector<uint8_t> pixels_;  // the band's rows
  std::optional<FeatureMap> above_, current_;
  int64_t band_ = 0;
};

// The container parsed and checked; a damaged one is a bad bitstream.
entropy::TicFile parse(const uint8_t* data, size_t size, const std::string& name) {
  try {
    return entropy::read_tic(Bytes(data, data + size), name);
  } catch (const DecodeError&) {
    throw;
  } catch (const Error& e) {
    throw DecodeError(Failure::bad_bitstream, e.what());
  }
}

// A horizontal row of tiles' latents [h, w_1 + w_2 + ..., M].
FeatureMap join_columns(const std::vector<FeatureMap>& tiles) {
  if (tiles.size() == 1) return tiles[0];
  int width = 0;
  for (const auto& t : tiles) width += t.width;
  FeatureMap out(tiles[0].height, width, tiles[0].channels);
  for (int y = 0; y < out.height; ++y) {
    int x = 0;
    for (const auto& t : tiles) {
      std::memcpy(&out.at(y, x, 0), values_at(t, y, 0), size_t(t.width) * size_t(t.channels) * sizeof(float));
      x += t.width;
    }
  }
  return out;
}

// The container parsed and its header checked against the model: a bitstream of another model is
// refused as such, anything else wrong as a bad bitstream.
struct Checked {
  entropy::TicFile tic;
  TileGrid grid;
  double level = 0;  // variable-rate models: the 0-based rate level
};

Checked check(const ModelData& m, const uint8_t* data, size_t size, const std::string& name) {
  entropy::TicFile tic = parse(data, size, name);
  try {
    TileGrid grid = codec::check_tic_header(tic, m.info, m.tables.size(), false, name);
    if (tic.version < 2)
      throw Error(file_error(name, "a version 1 bitstream's entropy parameters came from torch's kernels: decode "
                                   "it with `tiny decompress`, or encode the image again"));
    const double level = m.levels > 0 ? codec::tic_quality(tic, name) : 0.0;
    return {std::move(tic), grid, level};
  } catch (const Error& e) {
    throw DecodeError(tic.model_hash == m.info.hash ? Failure::bad_bitstream : Failure::wrong_model, e.what());
  }
}

// Decodes a checked bitstream's latents, handing each row of tiles to `synthesis` (none: the latents
// and their checksum only).
void decode_checked(const ModelData& m, const Checked& c, const std::string& name, BandSynthesis* synthesis) {
  const TileGrid& grid = c.grid;
  codec::CheckedSource source(c.tic, m.tables);
  try {
    for (int64_t r = 0; r < grid.rows(); ++r) {
      std::vector<FeatureMap> tiles;
      for (int64_t col = 0; col < grid.columns(); ++col) {
        const Rect l = grid.tile_latents(col, r);
        source.start_tile(size_t(r * grid.columns() + col));
        tiles.push_back(decode_tile_latent(m, source, l.height(), l.width(), c.level));
      }
      if (synthesis) synthesis->push(join_columns(tiles));
    }
    source.finish();
    if (synthesis) synthesis->finish();
  } catch (const Error& e) {
    throw DecodeError(Failure::bad_bitstream, file_error(name, e.what()));
  }
}

}  // namespace

ImageSize image_size(const uint8_t* tic, size_t size, const std::string& name) {
  const entropy::TicFile t = parse(tic, size, name);
  return {t.width, t.height};
}

void decode_rows(const Model& model, const uint8_t* data, size_t size, const std::string& name, Synthesis mode,
                 const RowSink& sink) {
  const Checked c = check(model.data(), data, size, name);
  sink.start({c.tic.width, c.tic.height});
  kernels::IeeeFloatScope ieee;
  BandSynthesis synthesis(model.data(), c.grid, c.tic.width, c.tic.height, mode, sink);
  decode_checked(model.data(), c, name, &synthesis);
}

void verify(const Model& model, const uint8_t* data, size_t size, const std::string& name) {
  const Checked c = check(model.data(), data, size, name);
  kernels::IeeeFloatScope ieee;
  decode_checked(model.data(), c, name, nullptr);
}

void decode(const Model& model, const uint8_t* data, size_t size, const std::string& name,
            const std::function<uint8_t*(ImageSize)>& buffer, Synthesis mode) {
  uint8_t* rgb = nullptr;
  size_t row_bytes = 0;
  RowSink sink;
  sink.start = [&](ImageSize s) {
    rgb = buffer(s);
    row_bytes = size_t(s.width) * 3;
  };
  sink.rows = [&](const uint8_t* rows, uint32_t first, uint32_t count) {
    std::memcpy(rgb + size_t(first) * row_bytes, rows, size_t(count) * row_bytes);
  };
  decode_rows(model, data, size, name, mode, sink);
}

void decode(const Model& model, const uint8_t* data, size_t size, const std::string& name, uint8_t* rgb,
            size_t rgb_size, Synthesis mode) {
  decode(
      model, data, size, name,
      [&](ImageSize s) {
        const uint64_t needed = uint64_t(s.width) * s.height * 3;
        if (rgb_size < needed)
          throw DecodeError(Failure::small_buffer, file_error(name, fmt::format("a {}x{} image needs {} bytes of RGB, "
                                                                                "the buffer has {}",
                                                                                s.width, s.height, needed, rgb_size)));
        return rgb;
      },
      mode);
}

std::vector<uint8_t> decode(const Model& model, const uint8_t* data, size_t size, const std::string& name,
                            ImageSize& image, Synthesis mode) {
  std::vector<uint8_t> rgb;
  decode(
      model, data, size, name,
      [&](ImageSize s) {
        image = s;
        rgb.resize(size_t(s.width) * s.height * 3);
        return rgb.data();
      },
      mode);
  return rgb;
}

}  // namespace tiny::decoder
