#include "codec/tic_header.hpp"

#include "codec/zoo.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::codec {

TileGrid check_tic_header(const entropy::TicFile& tic, const ModelFile& m, size_t streams, bool wavefront,
                          const std::string& name) {
  if (tic.model_hash != m.hash)
    throw Error(file_error(name, fmt::format("bitstream was made with another model ({} quality {}, hash {}); this "
                                             "model is {} quality {}, hash {}",
                                             tic.arch, tic.quality, hash_hex(tic.model_hash), m.arch, m.quality,
                                             hash_hex(m.hash))));
  if (uint64_t(tic.width) * tic.height > kMaxPixels)
    throw Error(file_error(name, fmt::format("bitstream claims a {}x{} image, above the limit", tic.width, tic.height)));
  if (tic.width == 0 || tic.height == 0) throw Error(file_error(name, "bitstream claims an empty image"));
  const TileGrid grid(tic.width, tic.height,
                      tic.tile_size > 0 ? tic.tile_size : std::max(padded_size(tic.width), padded_size(tic.height)));
  if (tic.latent_shapes.size() != 1 || tic.latent_shapes[0].size() != 3 || tic.latent_shapes[0][0] != uint32_t(m.M) ||
      tic.latent_shapes[0][1] != grid.latent_height() || tic.latent_shapes[0][2] != grid.latent_width() ||
      tic.substreams.size() != size_t(grid.count()) * streams)
    throw Error(file_error(name, "bitstream header does not match its image size or model"));
  if (tic.wavefront != wavefront)
    throw Error(file_error(name, tic.wavefront ? "bitstream claims wavefront order for a model without context model"
                                               : "bitstream codes its latents in raster order (made by an earlier "
                                                 "tiny); this version decodes wavefront order: encode the image again"));
  return grid;
}

double tic_quality(const entropy::TicFile& tic, const std::string& name) {
  const double q = bitstream_quality(tic.arch, tic.quality);
  const int levels = rate_levels(tic.arch);
  if (levels == 0) return q;
  if (q > levels - 1)
    throw Error(file_error(name, fmt::format("quality {} is outside this model's 0..{}", q, levels - 1)));
  return q;
}

}  // namespace tiny::codec
