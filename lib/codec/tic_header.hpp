#pragma once
// What a decoder checks of a `.tic` header before decoding it with a model: the model hash, the image
// size, the latent shapes, the stream count and the symbol order; and the quality it was coded at.
// Torch-free: shared by the torch models' codec and the torch-free decoder (lib/decoder).
#include "codec/model_file.hpp"
#include "codec/tile_grid.hpp"
#include "entropy/container.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tiny::codec {

// The largest image tiny codes (16384x16384): larger ones are refused before any pixel is read.
constexpr uint64_t kMaxPixels = uint64_t(16384) * 16384;

// Checks a parsed bitstream's header against the model that decodes it (`streams` entropy models per
// tile; `wavefront`: whether it codes y in wavefronts) and returns its tiles; throws tiny::Error naming
// `name` and the problem.
TileGrid check_tic_header(const entropy::TicFile& tic, const ModelFile& model, size_t streams, bool wavefront,
                          const std::string& name);
// The quality a bitstream was coded at: its model's level, or a variable-rate model's real quality
// (checked against the model's 0..levels-1; throws tiny::Error naming `name` otherwise).
double tic_quality(const entropy::TicFile& tic, const std::string& name);

}  // namespace tiny::codec
