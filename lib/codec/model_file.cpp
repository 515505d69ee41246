#include "codec/model_file.hpp"

#include "codec/zoo.hpp"
#include "core/text.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace tiny::codec {
namespace {

constexpr uint8_t kMagic[8] = {0x89, 'T', 'M', 'O', 'D', '\r', '\n', 0x1a};
constexpr uint32_t kMaxHeader = 1 << 20;
constexpr uint32_t kMaxTensors = 100000;
constexpr int kMaxRank = 8;

template <typename T>
void put(Bytes& out, T v) {
  uint8_t b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts only (x86-64, aarch64)
  out.insert(out.end(), b, b + sizeof(T));
}

// Bounds-checked little-endian reader; every failure names the file.
struct Reader {
  const Bytes& data;
  const std::string& name;
  size_t pos = 0;
  size_t left() const { return data.size() - pos; }
  void need(size_t n, const char* what) const {
    if (n > left()) throw Error(file_error(name, fmt::format("model file is truncated (in {})", what)));
  }
  template <typename T>
  T get(const char* what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::string text(size_t n, const char* what) {
    need(n, what);
    std::string s(reinterpret_cast<const char*>(data.data() + pos), n);
    pos += n;
    return s;
  }
};

// On disk only: an int32 tensor of rank >= 2 (CDF tables) stored row by row without the zeros that
// end each row, read back as DType::i32.
constexpr uint8_t kDiskI32Rows = 5;

void put_trimmed_rows(Bytes& out, const TensorRecord& t) {
  const size_t rows = size_t(t.shape[0]), per_row = rows == 0 ? 0 : t.data.size() / 4 / rows;
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* row = t.data.data() + 4 * r * per_row;
    size_t used = per_row;
    while (used > 0 && std::memcmp(row + 4 * (used - 1), "\0\0\0\0", 4) == 0) --used;
    put<uint32_t>(out, uint32_t(used));
    out.insert(out.end(), row, row + 4 * used);
  }
}

// Reads a row-trimmed int32 table into its full shape. `budget` is what the file's trimmed tables may
// still expand to, in bytes (shared by all of them, so many small tables cannot claim gigabytes).
void read_trimmed_rows(Reader& b, TensorRecord& t, size_t& budget) {
  const size_t rows = size_t(t.shape[0]), per_row = rows == 0 ? 0 : element_count(t.shape) / rows;
  // Each row costs at least its 4-byte count, so a huge shape cannot outgrow the file's size.
  b.need(4 * rows, "tensor row counts");
  if (4 * rows * per_row > budget)
    throw Error(file_error(b.name, fmt::format("tables such as '{}' would expand far beyond the file's size", t.name)));
  budget -= 4 * rows * per_row;
  t.data.assign(4 * rows * per_row, 0);
  for (size_t r = 0; r < rows; ++r) {
    const uint32_t used = b.get<uint32_t>("tensor row length");
    if (used > per_row) throw Error(file_error(b.name, fmt::format("tensor '{}' has a row longer than its shape", t.name)));
    b.need(4 * size_t(used), "tensor data");
    std::memcpy(t.data.data() + 4 * r * per_row, b.data.data() + b.pos, 4 * size_t(used));
    b.pos += 4 * size_t(used);
  }
}

// The factors' rank and dtype from an lr record's header; throws Error (naming `origin`) if malformed.
std::pair<uint32_t, DType> low_rank_header(const uint8_t* header, const TensorRecord& t, const std::string& origin) {
  uint32_t rank, factors;
  std::memcpy(&rank, header, 4);
  std::memcpy(&factors, header + 4, 4);
  const size_t rows = size_t(t.shape[0]), cols = rows == 0 ? 0 : element_count(t.shape) / rows;
  if (factors > 1 || rank == 0 || rank > std::min(rows, cols))
    throw Error(file_error(origin, fmt::format("low-rank tensor '{}' has a bad header (rank {})", t.name, rank)));
  return {rank, DType(factors)};
}

// The bytes a record must hold to be saved.
size_t stored_bytes(const TensorRecord& t) {
  if (t.dtype != DType::lr) return tensor_bytes(t.dtype, t.shape);
  if (t.data.size() < 8 || t.shape.empty()) return 0;
  auto [rank, factors] = low_rank_header(t.data.data(), t, "model");
  return low_rank_bytes(t.shape, rank, factors);
}

void read_low_rank(Reader& b, TensorRecord& t) {
  b.need(8, "low-rank header");
  auto [rank, factors] = low_rank_header(b.data.data() + b.pos, t, b.name);
  const size_t bytes = low_rank_bytes(t.shape, rank, factors);
  b.need(bytes, "tensor data");
  t.data.assign(b.data.begin() + long(b.pos), b.data.begin() + long(b.pos + bytes));
  b.pos += bytes;
}

}  // namespace

int entropy_layers_of(const std::vector<TensorRecord>& tensors) {
  int matrices = 0;
  for (const auto& t : tensors) matrices += t.name.rfind("entropy_bottleneck._matrix", 0) == 0;
  return matrices > 1 ? matrices - 1 : ArchConfig{}.entropy_layers;
}

ArchConfig arch_config(const ModelFile& m) {
  ArchConfig c{m.arch, m.quality, m.N, m.M, m.lambda};
  c.entropy_layers = entropy_layers_of(m.tensors);
  return c;
}

size_t dtype_size(DType d) { return d == DType::f16 ? 2 : 4; }

size_t element_count(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= size_t(d);
  return n;
}

size_t low_rank_bytes(const std::vector<int64_t>& shape, uint32_t rank, DType factors) {
  const size_t rows = shape.empty() ? 0 : size_t(shape[0]), cols = rows == 0 ? 0 : element_count(shape) / rows;
  return 8 + (rows + cols) * rank * dtype_size(factors);
}

size_t tensor_bytes(DType d, const std::vector<int64_t>& shape) {
  const size_t n = element_count(shape);
  switch (d) {
    case DType::q8: return n == 0 ? 0 : 4 * size_t(shape[0]) + n;  // scales, then codes
    case DType::q4: return (n + 31) / 32 * 18;                       // per block: scale, 16 bytes of codes
    default: return n * dtype_size(d);
  }
}

const char* dtype_name(DType d) {
  switch (d) {
    case DType::f32: return "float32";
    case DType::f16: return "float16";
    case DType::i32: return "int32";
    case DType::q8: return "int8";
    case DType::q4: return "q4";
    case DType::lr: return "low-rank";
  }
  return "unknown";
}

uint64_t fnv1a64(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
  return h;
}

std::string hash_hex(uint64_t hash) { return fmt::format("{:016x}", hash); }

Bytes serialize_model(ModelFile& m) {
  if (!known_architecture(m.arch)) throw Error(fmt::format("cannot save a model of unknown architecture '{}'", m.arch));
  Bytes out(kMagic, kMagic + 8);
  put<uint32_t>(out, kModelFileVersion);
  std::string header = nlohmann::json{{"arch", m.arch},     {"quality", m.quality}, {"N", m.N},
                                      {"M", m.M},           {"metric", m.metric},   {"lambda", m.lambda},
                                      {"provenance", m.provenance}}
                           .dump();
  put<uint32_t>(out, uint32_t(header.size()));
  out.insert(out.end(), header.begin(), header.end());
  put<uint32_t>(out, uint32_t(m.tensors.size()));
  for (const auto& t : m.tensors) {
    if (t.name.empty() || t.name.size() > 255 || t.shape.size() > kMaxRank)
      throw Error(fmt::format("cannot save tensor '{}' (bad name or rank)", t.name));
    if ((t.dtype == DType::q8 || t.dtype == DType::q4) && t.shape.empty())
      throw Error(fmt::format("cannot save tensor '{}': a quantized tensor needs a rank of 1 or more", t.name));
    if (t.data.size() != stored_bytes(t))
      throw Error(fmt::format("cannot save tensor '{}': data size does not match its shape", t.name));
    put<uint16_t>(out, uint16_t(t.name.size()));
    out.insert(out.end(), t.name.begin(), t.name.end());
    const bool rows = t.dtype == DType::i32 && t.shape.size() >= 2;
    put<uint8_t>(out, rows ? kDiskI32Rows : uint8_t(t.dtype));
    put<uint8_t>(out, uint8_t(t.shape.size()));
    for (int64_t d : t.shape) put<uint32_t>(out, uint32_t(d));
    if (rows) put_trimmed_rows(out, t);
    else out.insert(out.end(), t.data.begin(), t.data.end());
  }
  m.hash = fnv1a64(out.data(), out.size());
  put<uint64_t>(out, m.hash);
  return out;
}

ModelFile parse_model(const Bytes& data, const std::string& name) {
  if (data.size() < 8 || std::memcmp(data.data(), kMagic, 8) != 0)
    throw Error(file_error(name, "not a tiny model file (bad magic)"));
  Reader r{data, name, 8};
  uint32_t version = r.get<uint32_t>("version");
  if (version != kModelFileVersion)
    throw Error(file_error(name, fmt::format("unsupported model file version {} (this tiny reads {})", version,
                                             kModelFileVersion)));
  if (data.size() < 8 + 4 + 8) throw Error(file_error(name, "model file is truncated"));
  uint64_t stored;
  std::memcpy(&stored, data.data() + data.size() - 8, 8);
  ModelFile m;
  m.hash = fnv1a64(data.data(), data.size() - 8);
  if (m.hash != stored) throw Error(file_error(name, "model file is truncated or corrupt (content hash mismatch)"));
  const Bytes body(data.begin(), data.end() - 8);
  Reader b{body, name, r.pos};
  uint32_t header_size = b.get<uint32_t>("header length");
  if (header_size > kMaxHeader) throw Error(file_error(name, "model file header is too large"));
  nlohmann::json h;
  try {
    h = parse_json(b.text(header_size, "header"), name);
    m.arch = h.at("arch").get<std::string>();
    m.quality = h.at("quality").get<int>();
    m.N = h.at("N").get<int>();
    m.M = h.at("M").get<int>();
    m.metric = h.at("metric").get<std::string>();
    m.lambda = h.at("lambda").get<double>();
    m.provenance = h.at("provenance");
  } catch (const nlohmann::json::exception& e) {
    throw Error(file_error(name, fmt::format("model file header is invalid: {}", e.what())));
  } catch (const UsageError& e) {  // a hostile header is bad data, not bad usage
    throw Error(fmt::format("{} (model file header)", e.what()));
  }
  if (!known_architecture(m.arch))
    throw Error(file_error(name, fmt::format("model file has unknown architecture '{}'", m.arch)));
  if (m.N <= 0 || m.M <= 0 || m.N > 4096 || m.M > 4096)
    throw Error(file_error(name, fmt::format("model file has bad sizes N={} M={}", m.N, m.M)));
  uint32_t count = b.get<uint32_t>("tensor count");
  if (count > kMaxTensors) throw Error(file_error(name, "model file has too many tensors"));
  std::set<std::string> seen;
  // Real tables lose a few times their size to trimming; 32 times the file (and 1 MiB) is ample.
  size_t table_budget = 32 * data.size() + (size_t(1) << 20);
  for (uint32_t i = 0; i < count; ++i) {
    TensorRecord t;
    t.name = b.text(b.get<uint16_t>("tensor name length"), "tensor name");
    const uint8_t dtype = b.get<uint8_t>("tensor dtype");
    if (dtype > uint8_t(DType::lr)) throw Error(file_error(name, fmt::format("tensor '{}' has unknown dtype", t.name)));
    const bool rows = dtype == kDiskI32Rows;
    t.dtype = rows ? DType::i32 : DType(dtype);
    uint8_t rank = b.get<uint8_t>("tensor rank");
    if (rank > kMaxRank) throw Error(file_error(name, fmt::format("tensor '{}' has rank {}", t.name, rank)));
    if ((t.dtype == DType::q8 || t.dtype == DType::q4 || t.dtype == DType::lr) && rank == 0)
      throw Error(file_error(name, fmt::format("quantized tensor '{}' has rank 0", t.name)));
    if (rows && rank < 2) throw Error(file_error(name, fmt::format("row-trimmed tensor '{}' has rank {}", t.name, rank)));
    size_t elements = 1;
    for (int d = 0; d < rank; ++d) {
      uint32_t dim = b.get<uint32_t>("tensor shape");
      t.shape.push_back(dim);
      elements *= dim;
      if (elements > 8 * b.left() + 32) throw Error(file_error(name, fmt::format("model file is truncated (tensor '{}')", t.name)));
    }
    if (rows) {
      read_trimmed_rows(b, t, table_budget);
    } else if (t.dtype == DType::lr) {
      read_low_rank(b, t);
    } else {
      size_t bytes = tensor_bytes(t.dtype, t.shape);
      b.need(bytes, "tensor data");
      t.data.assign(body.begin() + long(b.pos), body.begin() + long(b.pos + bytes));
      b.pos += bytes;
    }
    if (!seen.insert(t.name).second) throw Error(file_error(name, fmt::format("tensor '{}' appears twice", t.name)));
    m.tensors.push_back(std::move(t));
  }
  if (b.left() != 0) throw Error(file_error(name, "model file has trailing bytes"));
  return m;
}

ModelFile read_model_file(const std::string& path) { return parse_model(read_file(path), path); }

void write_model_file(const std::string& path, ModelFile& model, bool overwrite) {
  write_file_atomic(path, serialize_model(model), overwrite);
}

bool is_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8];
  return in.read(head, 8) && std::memcmp(head, kMagic, 8) == 0;
}

nlohmann::json describe_model(const ModelFile& m) {
  int64_t params = 0, weights = 0, weight_bytes = 0;
  std::set<std::string> dtypes;  // of the layers' `.weight` tensors
  std::map<std::string, int> stored;  // quantized and low-rank weights per storage
  nlohmann::json ranks = nlohmann::json::object();
  for (const auto& t : m.tensors) {
    if (t.dtype == DType::i32) continue;
    params += int64_t(element_count(t.shape));
    if (!ends_with(t.name, ".weight")) continue;
    weights += int64_t(element_count(t.shape));
    weight_bytes += int64_t(t.data.size());
    dtypes.insert(dtype_name(t.dtype));
    if (t.dtype == DType::q8 || t.dtype == DType::q4 || t.dtype == DType::lr) ++stored[dtype_name(t.dtype)];
    if (t.dtype == DType::lr) ranks[t.name] = low_rank_header(t.data.data(), t, "model").first;
  }
  nlohmann::json compressed = nlohmann::json::object();
  for (const auto& [storage, count] : stored) compressed[storage] = count;
  return {{"type", "model"}, {"compressed_weights", compressed}, {"low_rank_ranks", ranks}, {"format", "tmodel"}, {"version", kModelFileVersion}, {"arch", m.arch},
          {"quality", m.quality}, {"N", m.N}, {"M", m.M}, {"metric", m.metric}, {"lambda", m.lambda},
          {"provenance", m.provenance}, {"tensors", m.tensors.size()}, {"parameters", params},
          {"weights", dtypes.empty() ? "none" : fmt::format("{}", fmt::join(dtypes, "+"))},
          {"bits_per_weight", weights ? 8.0 * double(weight_bytes) / double(weights) : 0.0}, {"hash", hash_hex(m.hash)}};
}

}  // namespace tiny::codec
