#include "convert/checkpoint.hpp"

#include "convert/pickle.hpp"
#include "convert/tensor_convert.hpp"
#include "convert/zip_check.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <caffe2/serialize/inline_container.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>

namespace tiny::convert {
namespace {

using Kind = PickleValue::Kind;
using codec::DType;
using codec::TensorRecord;

using Records = std::map<std::string, ZipRecordBytes>;

// The record of this name inside the archive's folder, or nullptr.
const ZipRecordBytes* find(const Records& records, const std::string& record) {
  const auto it = records.find(record);
  return it == records.end() ? nullptr : &it->second;
}

TensorRecord materialize(const Records& zip, const std::string& tensor_name, const PickleValue& t,
                         const std::string& name) {
  const PickleValue& storage = *t.items[0];
  std::string where = file_error(name, fmt::format("tensor '{}'", tensor_name));
  std::string record = "data/" + storage.text;
  const ZipRecordBytes* bytes = find(zip, record);
  if (!bytes) throw Error(fmt::format("{}: storage record '{}' is missing", where, record));
  const size_t size = bytes->size;
  size_t esize = storage_type_size(storage.storage_type);
  if (uint64_t(storage.integer) > size / esize)
    throw Error(fmt::format("{}: storage record '{}' is shorter than its {} elements", where, record, storage.integer));
  uint64_t numel = checked_numel(t.shape, where);
  if (numel > uint64_t(storage.integer)) throw Error(where + ": tensor has more elements than its storage");
  if (numel > 0) {
    const uint64_t limit = uint64_t(storage.integer);
    uint64_t last = uint64_t(t.offset);
    bool inside = last < limit;
    for (size_t k = 0; inside && k < t.shape.size(); ++k) {
      uint64_t steps = uint64_t(t.shape[k] - 1), stride = uint64_t(t.stride[k]);
      inside = steps == 0 || stride <= (limit - 1 - last) / steps;
      if (inside) last += steps * stride;
    }
    if (!inside) throw Error(where + ": tensor reaches past the end of its storage");
  }
  return gather_record(tensor_name, storage.storage_type, t.shape, t.stride, t.offset, bytes->data, where);
}

const PickleValue* find_entry(const PickleValue& dict, const std::string& key) {
  for (const auto& [k, v] : dict.entries)
    if (k->kind == Kind::string && k->text == key) return v;
  return nullptr;
}

std::vector<TensorRecord> read_state_dict(const Records& zip, const std::string& name) {
  const ZipRecordBytes* pkl = find(zip, "data.pkl");
  if (!pkl) throw Error(file_error(name, "checkpoint has no data.pkl record"));
  Pickle pickle = parse_pickle(Bytes(pkl->data, pkl->data + pkl->size), name);
  const PickleValue* root = pickle.root;
  if (root->kind != Kind::dict) throw Error(file_error(name, "checkpoint does not hold a dict"));
  const PickleValue* nested = find_entry(*root, "state_dict");
  const PickleValue& dict = nested && nested->kind == Kind::dict ? *nested : *root;
  std::vector<TensorRecord> out;
  for (const auto& [k, v] : dict.entries) {
    if (k->kind != Kind::string) throw Error(file_error(name, "state_dict has a key that is not a string"));
    if (v->kind != Kind::tensor) throw Error(file_error(name, fmt::format("state_dict entry '{}' is not a tensor", k->text)));
    out.push_back(materialize(zip, k->text, *v, name));
  }
  if (out.empty()) throw Error(file_error(name, "checkpoint has no tensors"));
  bool prefixed = true;
  for (const auto& r : out) prefixed = prefixed && r.name.rfind("module.", 0) == 0;
  if (prefixed)
    for (auto& r : out) r.name.erase(0, 7);
  return out;
}

StorageType storage_type_of(DType d) {
  return d == DType::f32 ? StorageType::f32 : d == DType::f16 ? StorageType::f16 : StorageType::i32;
}

}  // namespace

std::map<std::string, ZipRecordBytes> torch_zip_records(const Bytes& data, const std::string& name,
                                                        bool deflated_code) {
  const std::vector<StoredRecord> stored = check_stored_zip(data.data(), data.size(), name, deflated_code);
  if (stored.empty()) throw Error(file_error(name, "zip checkpoint holds no records"));
  const size_t slash = stored[0].name.find('/');
  if (slash == std::string::npos) throw Error(file_error(name, "zip checkpoint records are not in a folder"));
  const std::string folder = stored[0].name.substr(0, slash + 1);
  Records records;
  for (const auto& r : stored)
    if (r.name.compare(0, folder.size(), folder) == 0)
      records.emplace(r.name.substr(folder.size()), ZipRecordBytes{data.data() + r.offset, r.size});
  const ZipRecordBytes* version = find(records, ".data/version");
  if (!version) version = find(records, "version");
  if (!version) throw Error(file_error(name, "zip checkpoint has no version record"));
  uint64_t number = 0;
  size_t digits = 0;
  const char* text = reinterpret_cast<const char*>(version->data);
  while (digits < version->size && digits < 8 && std::isdigit(static_cast<unsigned char>(text[digits])))
    number = number * 10 + uint64_t(text[digits++] - '0');
  if (digits == 0 || number < caffe2::serialize::kMinSupportedFileFormatVersion ||
      number > caffe2::serialize::kMaxSupportedFileFormatVersion)
    throw Error(file_error(name, fmt::format("zip checkpoint format version '{}' is not one libtorch reads ({} to {})",
                                             escape_control(std::string(text, std::min<size_t>(version->size, 16))),
                                             caffe2::serialize::kMinSupportedFileFormatVersion,
                                             caffe2::serialize::kMaxSupportedFileFormatVersion)));
  return records;
}

std::vector<TensorRecord> parse_torch_checkpoint(const Bytes& data, const std::string& name) {
  if (data.size() < 4 || data[0] != 'P' || data[1] != 'K')
    throw Error(file_error(name, "not a zip-format torch checkpoint (legacy torch.save files are not supported; "
                                 "re-save with torch >= 1.6)"));
  return read_state_dict(torch_zip_records(data, name), name);
}

std::vector<TensorRecord> read_torch_checkpoint(const std::string& path) {
  return parse_torch_checkpoint(read_file(path), path);
}

Bytes torch_checkpoint_bytes(const std::vector<TensorRecord>& tensors) {
  Bytes out;
  caffe2::serialize::PyTorchStreamWriter zip([&](const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
    return n;
  });
  std::vector<PickledTensor> pickled;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorRecord& t = tensors[i];
    pickled.push_back({t.name, std::to_string(i), storage_type_of(t.dtype), t.shape});
    zip.writeRecord("data/" + std::to_string(i), t.data.data(), t.data.size());
  }
  Bytes pickle = write_state_dict_pickle(pickled);
  zip.writeRecord("data.pkl", pickle.data(), pickle.size());
  zip.writeEndOfFile();
  return out;
}

void write_torch_checkpoint(const std::string& path, const std::vector<TensorRecord>& tensors, bool overwrite) {
  write_file_atomic(path, torch_checkpoint_bytes(tensors), overwrite);
}

bool is_zip_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

}  // namespace tiny::convert
