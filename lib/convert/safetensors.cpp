#include "convert/safetensors.hpp"

#include "convert/tensor_convert.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <iterator>
#include <map>

namespace tiny::convert {
namespace {

using codec::DType;

constexpr uint64_t kMaxHeader = uint64_t(100) << 20;

struct TypeName {
  const char* name;
  StorageType type;
};
constexpr TypeName kTypes[] = {{"F32", StorageType::f32}, {"F64", StorageType::f64}, {"F16", StorageType::f16},
                               {"BF16", StorageType::bf16}, {"I32", StorageType::i32}, {"I64", StorageType::i64},
                               {"I16", StorageType::i16}, {"I8", StorageType::i8}, {"U8", StorageType::u8},
                               {"BOOL", StorageType::boolean}};

StorageType parse_type(const std::string& s, const std::string& where) {
  for (const auto& t : kTypes)
    if (s == t.name) return t.type;
  throw Error(fmt::format("{}: dtype '{}' is not supported", where, s));
}

const char* type_name(DType d) { return d == DType::f32 ? "F32" : d == DType::f16 ? "F16" : "I32"; }

// Records the bytes [begin, end) of tensor `key`; throws Error if another tensor's bytes overlap them
// (each tensor is copied out, so overlaps would let a small file claim its size many times over).
void check_disjoint(std::map<uint64_t, std::pair<uint64_t, std::string>>& ranges, uint64_t begin, uint64_t end,
                    const std::string& key, const std::string& where) {
  if (begin == end) return;
  auto next = ranges.lower_bound(begin);
  if (next != ranges.end() && next->first < end)
    throw Error(fmt::format("{}: data_offsets overlap tensor '{}'", where, next->second.second));
  if (next != ranges.begin() && std::prev(next)->second.first > begin)
    throw Error(fmt::format("{}: data_offsets overlap tensor '{}'", where, std::prev(next)->second.second));
  ranges.emplace(begin, std::make_pair(end, key));
}

}  // namespace

SafeTensors parse_safetensors(const Bytes& data, const std::string& name) {
  if (data.size() < 8) throw Error(file_error(name, "safetensors file is truncated"));
  uint64_t header_size;
  std::memcpy(&header_size, data.data(), 8);
  if (header_size > kMaxHeader || header_size > data.size() - 8)
    throw Error(file_error(name, "safetensors header length is larger than the file"));
  const size_t base = 8 + size_t(header_size);
  const size_t body = data.size() - base;
  nlohmann::json header;
  try {
    header = parse_json(std::string_view(reinterpret_cast<const char*>(data.data()) + 8, base - 8), name);
  } catch (const Error& e) {
    throw Error(file_error(name, fmt::format("safetensors header is not JSON: {}", e.what())));
  }
  if (!header.is_object()) throw Error(file_error(name, "safetensors header is not a JSON object"));
  SafeTensors out;
  std::map<uint64_t, std::pair<uint64_t, std::string>> ranges;  // begin -> end, tensor: the bytes taken
  for (const auto& [key, value] : header.items()) {
    std::string where = file_error(name, fmt::format("tensor '{}'", key));
    try {
      if (key == "__metadata__") {
        for (const auto& [mk, mv] : value.items()) out.metadata[mk] = mv.get<std::string>();
        continue;
      }
      StorageType type = parse_type(value.at("dtype").get<std::string>(), where);
      std::vector<int64_t> shape = value.at("shape").get<std::vector<int64_t>>();
      auto offsets = value.at("data_offsets").get<std::vector<uint64_t>>();
      if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > body)
        throw Error(where + ": data_offsets lie outside the file");
      uint64_t numel = checked_numel(shape, where);
      if (offsets[1] - offsets[0] != numel * storage_type_size(type))
        throw Error(where + ": data size does not match its dtype and shape");
      check_disjoint(ranges, offsets[0], offsets[1], key, where);
      out.tensors.push_back(to_record(key, type, shape, data.data() + base + offsets[0], where));
    } catch (const nlohmann::json::exception& e) {
      throw Error(fmt::format("{}: bad header entry: {}", where, e.what()));
    }
  }
  return out;
}

SafeTensors read_safetensors(const std::string& path) { return parse_safetensors(read_file(path), path); }

Bytes safetensors_bytes(const SafeTensors& file) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  size_t offset = 0;
  for (const auto& t : file.tensors) {
    header[t.name] = {{"dtype", type_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.data.size()}}};
    offset += t.data.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t n = text.size();
  Bytes out(8 + n + offset);
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, text.data(), n);
  size_t at = 8 + n;
  for (const auto& t : file.tensors) {
    if (!t.data.empty()) std::memcpy(out.data() + at, t.data.data(), t.data.size());
    at += t.data.size();
  }
  return out;
}

void write_safetensors(const std::string& path, const SafeTensors& file, bool overwrite) {
  write_file_atomic(path, safetensors_bytes(file), overwrite);
}

}  // namespace tiny::convert
