#pragma once
// One tile's quantized latent y_hat from its streams, as the torch models' decompress() rebuilds it:
// z_hat from the factorized CDFs plus the medians, the entropy parameters h_s(z_hat) on the
// fixed-order kernels, each symbol's table index by comparisons with the scale table, y_hat = symbols
// (+ means) (times a variable-rate model's inverse gains). Torch-free.
#include "codec/symbol_source.hpp"
#include "decoder/model.hpp"
#include "kernels/fixed_order.hpp"

#include <cstdint>

namespace tiny::decoder {

// y_hat [h, w, M] of a tile of h x w latents (multiples of 4), read from `source` (this tile's streams);
// `level` is a variable-rate model's 0-based real rate level (else 0).
kernels::FeatureMap decode_tile_latent(const ModelData& model, codec::SymbolSource& source, int64_t h, int64_t w,
                                       double level);

}  // namespace tiny::decoder
