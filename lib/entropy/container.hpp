#pragma once
// The `.tic` bitstream container: model identity, image size and colour format, latent shapes and
// the coded substreams, closed by a CRC-32. Byte layout in docs/formats.md.
#include "core/file_io.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::entropy {

// Version 3: the image coded in independent tiles (bounded memory for any size). Version 2: one tile,
// entropy parameters from the fixed-order kernels (decodable on every machine) and a checksum of the
// quantized latents. Versions 1 (parameters from torch's kernels) and 2 are still read.
constexpr uint16_t kTicVersion = 3;
constexpr uint16_t kTicOldestVersion = 1;
constexpr size_t kTicMaxArchName = 64;
constexpr size_t kTicMaxLatents = 16;
constexpr size_t kTicMaxDims = 8;
// Tiles are squares of a multiple of 64 pixels, at most 65536.
constexpr uint32_t kTicTileMultiple = 64;
constexpr uint32_t kTicMaxTileSize = 65536;

enum class ColorFormat : uint8_t { rgb8 = 0, gray8 = 1 };

struct TicFile {
  uint16_t version = kTicVersion;  // kTicOldestVersion..kTicVersion (version 1 has no latent checksum)
  std::string arch;            // model architecture name, 1..64 printable ASCII bytes
  uint32_t quality = 0;        // model quality level
  uint64_t model_hash = 0;     // hash of the model's weights and CDF tables
  uint32_t width = 0, height = 0;
  ColorFormat color = ColorFormat::rgb8;
  bool wavefront = false;      // flag bit 0: autoregressive latents coded in wavefronts (docs/formats.md)
  std::vector<std::vector<uint32_t>> latent_shapes;  // up to 16 shapes of 1..8 dimensions
  std::vector<Bytes> substreams;                     // coded payloads, in decoding order
  uint32_t latent_checksum = 0;  // version 2+: latent_checksum() of every symbol coded, in coding order
  uint32_t tile_size = 0;        // version 3: edge of the square tiles in pixels (earlier versions: 0, one tile)
};

// CRC-32 of symbols as 4-byte little-endian two's-complement values, continuing from `crc` (the
// `.tic` latent checksum: every substream's symbols, stream after stream).
uint32_t latent_checksum(const int32_t* symbols, size_t count, uint32_t crc = 0);

// Serializes a container; throws tiny::Error if a field is out of its documented range.
Bytes write_tic(const TicFile& tic);
// Parses and validates a container (`name` appears in errors): every count and length is checked
// against the bytes present before anything is allocated, and the CRC must match.
TicFile read_tic(const Bytes& data, const std::string& name);
// True if the bytes start with the `.tic` magic.
bool is_tic(const Bytes& data);
// True if the file at `path` starts with the `.tic` magic (false if unreadable or shorter).
bool is_tic_file(const std::string& path);
// Writes a container atomically to `path`.
void write_tic_file(const std::string& path, const TicFile& tic, bool overwrite);
// Reads and validates a container file.
TicFile read_tic_file(const std::string& path);
// The header fields as JSON (for `tiny info`, with its image keys: format "tic", channels, bit_depth,
// orientation 1); substreams are given by their sizes.
nlohmann::json describe_tic(const TicFile& tic);
// Name of a colour format ("rgb8", "gray8").
const char* color_format_name(ColorFormat c);

}  // namespace tiny::entropy
