#pragma once
// The `.tmodel` file: one learned codec (architecture, N/M, quality, metric, lambda, training
// provenance), its named tensors (weights float32, float16 or quantized; CDF tables int32) and a 64-bit content
// hash that bitstreams reference. Byte layout in docs/formats.md. No torch here.
#include "codec/zoo.hpp"
#include "core/file_io.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::codec {

constexpr uint32_t kModelFileVersion = 1;

// q8: int8 codes with a float32 scale per output channel; q4: blocks of 32 4-bit codes with a float16
// scale (lib/codec/quantize.hpp); lr: the two factors of a rank-r weight (lib/convert/low_rank.hpp).
// (5 is the on-disk form of int32 tables, read back as i32.)
enum class DType : uint8_t { f32 = 0, f16 = 1, i32 = 2, q8 = 3, q4 = 4, lr = 6 };

// One named tensor, little-endian elements packed row-major.
struct TensorRecord {
  std::string name;
  DType dtype = DType::f32;
  std::vector<int64_t> shape;
  Bytes data;
};

struct ModelFile {
  std::string arch;
  int quality = 0, N = 0, M = 0;
  std::string metric = "mse";
  double lambda = 0.0;
  nlohmann::json provenance = nlohmann::json::object();  // how the weights were made
  std::vector<TensorRecord> tensors;
  uint64_t hash = 0;  // FNV-1a 64 of every byte before it; set by serialize/parse
};

// Hidden layers of the entropy bottleneck's density in a set of tensors (its `_matrix` count − 1;
// 4, CompressAI's, when there is none).
int entropy_layers_of(const std::vector<TensorRecord>& tensors);
// The architecture configuration a model file describes.
ArchConfig arch_config(const ModelFile& model);

// Size in bytes of one element of a plain dtype (f32, f16, i32).
size_t dtype_size(DType d);
// Bytes of an lr record of this shape: an 8-byte header (rank r, factor dtype f32 or f16), then
// U [size0, r] and V [r, rest of the shape], row-major.
size_t low_rank_bytes(const std::vector<int64_t>& shape, uint32_t rank, DType factors);
// Bytes of data a tensor of this dtype and shape holds (quantized layouts included; not lr, whose
// size depends on its rank).
size_t tensor_bytes(DType d, const std::vector<int64_t>& shape);
// Number of elements of a shape.
size_t element_count(const std::vector<int64_t>& shape);
// Name of a dtype ("float32", "float16", "int32", "int8", "q4", "low-rank").
const char* dtype_name(DType d);
// Serializes the model and sets model.hash; throws tiny::Error on a field out of range.
Bytes serialize_model(ModelFile& model);
// Parses and validates a model file (`name` appears in errors): magic, version, known architecture,
// every length against the bytes present, the content hash.
ModelFile parse_model(const Bytes& data, const std::string& name);
// Reads and validates a model file.
ModelFile read_model_file(const std::string& path);
// Writes a model file atomically.
void write_model_file(const std::string& path, ModelFile& model, bool overwrite);
// True if the file at `path` starts with the `.tmodel` magic.
bool is_model_file(const std::string& path);
// The header fields as JSON (for `tiny info`), with the tensor and parameter counts, the storage types
// of the layers' weights ("float16", "float32+int8", …), their mean bits per weight, how many weights
// each compressed storage holds (`compressed_weights`: int8, q4, low-rank) and each low-rank weight's rank.
nlohmann::json describe_model(const ModelFile& model);
// FNV-1a 64-bit hash of a byte range.
uint64_t fnv1a64(const uint8_t* data, size_t size);
// The hash as 16 lowercase hex digits.
std::string hash_hex(uint64_t hash);

}  // namespace tiny::codec
