#pragma once
// `tiny bench tiles`: what coding an image in tiles (`.tic` version 3) costs against coding it as one
// tile (version 2): bytes, PSNR, time and peak memory per image and model, and the BD-rate over the
// models' qualities, on photos resized to 4000x3000 (the images of `tiny bench load`) and to Kodak's
// 768x512 (one tile: no cost by construction, measured all the same).
#include "codec/tile_grid.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::bench {

struct TilesBenchOptions {
  std::string photos;               // folder of JPEG photos (never Kodak: the images are not a tuning set, but stay apart)
  std::vector<std::string> models;  // one .tmodel per quality, lowest first (two or more give a BD-rate)
  int tile_size = int(codec::kDefaultTileSize);
  bool quick = false;               // 1 large and 2 small images instead of 3 and 6
};

// Runs the benchmark: {"rows": one object per (set, model, mode) with bpp, psnr and seconds averaged
// over the set's images and peak_mb (the most memory one compress() added to the process's,
// reconstruction included), "bd": one object per set with the BD-rate of tiles against
// one tile}; progress goes to the log.
nlohmann::json run_tiles_bench(const TilesBenchOptions& options);

}  // namespace tiny::bench
