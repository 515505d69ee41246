#include "codec/tile_grid.hpp"

#include "core/check.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::codec {

int64_t padded_size(int64_t v) { return (v + kPadMultiple - 1) / kPadMultiple * kPadMultiple; }

TileGrid::TileGrid(int64_t width, int64_t height, int64_t tile)
    : tile_(tile), padded_w_(padded_size(width)), padded_h_(padded_size(height)) {
  if (tile <= 0 || tile % kPadMultiple != 0)
    throw Error(fmt::format("tile size {} is not a positive multiple of {}", tile, kPadMultiple));
  if (width <= 0 || height <= 0) throw Error(fmt::format("cannot tile a {}x{} image", width, height));
  columns_ = (padded_w_ + tile - 1) / tile;
  rows_ = (padded_h_ + tile - 1) / tile;
}

Rect TileGrid::tile_pixels(int64_t column, int64_t row) const {
  TINY_DCHECK(column >= 0 && column < columns_ && row >= 0 && row < rows_);
  return {column * tile_, row * tile_, std::min(padded_w_, (column + 1) * tile_), std::min(padded_h_, (row + 1) * tile_)};
}

Rect TileGrid::tile_latents(int64_t column, int64_t row) const {
  const Rect p = tile_pixels(column, row);
  TINY_DCHECK(p.x0 % kLatentStride == 0 && p.x1 % kLatentStride == 0 && p.y1 % kLatentStride == 0);
  return {p.x0 / kLatentStride, p.y0 / kLatentStride, p.x1 / kLatentStride, p.y1 / kLatentStride};
}

Rect TileGrid::analysis_window(int64_t column, int64_t row) const {
  const Rect p = tile_pixels(column, row);
  return {std::max<int64_t>(0, p.x0 - kAnalysisMargin), std::max<int64_t>(0, p.y0 - kAnalysisMargin),
          std::min(padded_w_, p.x1 + kAnalysisMargin), std::min(padded_h_, p.y1 + kAnalysisMargin)};
}

Rect TileGrid::synthesis_window(int64_t column, int64_t row) const {
  const Rect l = tile_latents(column, row);
  return {std::max<int64_t>(0, l.x0 - kSynthesisMargin), std::max<int64_t>(0, l.y0 - kSynthesisMargin),
          std::min(latent_width(), l.x1 + kSynthesisMargin), std::min(latent_height(), l.y1 + kSynthesisMargin)};
}

}  // namespace tiny::codec
