#pragma once
// How a `.tic` version 3 divides an image into independently coded square tiles, and the windows each
// tile's transforms see. Pure geometry: no torch.
//
// The image is first padded (last row and column repeated) to a multiple of 64 pixels; tiles of
// `tile` pixels (a multiple of 64) cover the padded image in raster order, the last row and column
// of tiles being narrower. Latents are 16 times smaller in each direction. The analysis of a tile
// sees `kAnalysisMargin` more pixels on each side where the image has them, and the synthesis of a
// tile sees `kSynthesisMargin` more latents of its neighbours, so that tile borders leave no seams:
// both margins cover the reach of the zoo's transforms (four 5x5 stride-2 layers: a latent depends on
// the pixels within 30 of its centre, a pixel on the latents within 1.875 latents of its own).
#include <cstdint>

namespace tiny::codec {

// A half-open rectangle [x0, x1) x [y0, y1).
struct Rect {
  int64_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int64_t width() const { return x1 - x0; }
  int64_t height() const { return y1 - y0; }
};

constexpr int64_t kLatentStride = 16;    // pixels per latent, in each direction
constexpr int64_t kPadMultiple = 64;     // images are padded to a multiple of this (the hyper-latents' stride)
constexpr int64_t kAnalysisMargin = 32;  // pixels (a multiple of kLatentStride)
constexpr int64_t kSynthesisMargin = 2;  // latents
// The tile edge tiny writes: Kodak-size images (768x512, 512x768) and smaller are one tile, and a
// tile's transforms need some 600 MB at most.
constexpr int64_t kDefaultTileSize = 768;

// The value rounded up to a multiple of kPadMultiple.
int64_t padded_size(int64_t v);

class TileGrid {
public:
  // The tiles of a width x height image (throws tiny::Error unless tile is a positive multiple of 64).
  TileGrid(int64_t width, int64_t height, int64_t tile);
  int64_t columns() const { return columns_; }
  int64_t rows() const { return rows_; }
  int64_t count() const { return columns_ * rows_; }
  // The edge of a whole tile in pixels.
  int64_t tile_size() const { return tile_; }
  // The padded image's size in pixels and in latents.
  int64_t padded_width() const { return padded_w_; }
  int64_t padded_height() const { return padded_h_; }
  int64_t latent_width() const { return padded_w_ / kLatentStride; }
  int64_t latent_height() const { return padded_h_ / kLatentStride; }
  // The pixels of tile (column, row) in the padded image.
  Rect tile_pixels(int64_t column, int64_t row) const;
  // Its latents (tile_pixels / 16).
  Rect tile_latents(int64_t column, int64_t row) const;
  // The pixels its analysis sees: the tile and kAnalysisMargin around it, within the padded image.
  Rect analysis_window(int64_t column, int64_t row) const;
  // The latents its synthesis sees: the tile's and kSynthesisMargin around them, within the image's.
  Rect synthesis_window(int64_t column, int64_t row) const;

private:
  int64_t tile_, padded_w_, padded_h_, columns_, rows_;
};

}  // namespace tiny::codec
