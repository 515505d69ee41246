#pragma once
// Models and bitstreams for the decoder tests: small untrained models of every architecture saved as
// `.tmodel` files, and images coded with the torch codec.
#include "../codec/codec_fixtures.hpp"
#include "codec/codec.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

#include <string>

namespace tiny::test {

// The small configuration of `arch` (tests/codec/codec_fixtures.hpp).
inline codec::ArchConfig small_config(const std::string& arch) {
  for (const auto& c : small_configs())
    if (c.arch == arch) return c;
  throw Error("no small configuration of " + arch);
}

// An untrained model of `arch` saved in `dir` as float32 (its seed picks its weights); returns the path.
inline std::string save_untrained(const TempDir& dir, const std::string& arch, uint64_t seed = 7) {
  const std::string path = dir.file(arch + "-" + std::to_string(seed) + ".tmodel");
  codec::Codec::untrained(small_config(arch), seed).save(path, false, true);
  return path;
}

// A picture coded by the torch codec with the model at `path` (tile edge `tile`, 0: the default;
// variable-rate models at `quality`, unless negative).
inline Bytes compress_with(const std::string& path, const image::Image& img, int tile = 0, double quality = -1) {
  codec::Codec c = codec::Codec::from_file(path);
  if (tile > 0) c.set_tile_size(tile);
  if (quality >= 0) c.set_quality(quality);
  return c.compress(img);
}

}  // namespace tiny::test
