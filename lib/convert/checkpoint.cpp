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

namespace tiny::convert {
namespace {

using Kind = PickleValue::Kind;
using codec::DType;
using codec::TensorRecord;

class BytesAdapter : public caffe2::serialize::ReadAdapterInterface {
public:
  explicit BytesAdapter(const Bytes& data) : data_(data) {}
  size_t size() const override { return data_.size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
    if (pos >= data_.size()) return 0;
    n = std::min<size_t>(n, data_.size() - size_t(pos));
    std::memcpy(buf, data_.data() + pos, n);
    return n;
  }

private:
  const Bytes& data_;
};

TensorRecord materialize(caffe2::serialize::PyTorchStreamReader& zip, const std::string& tensor_name,
                         const PickleValue& t, const std::string& name) {
  const PickleValue& storage = *t.items[0];
  std::string where = file_error(name, fmt::format("tensor '{}'", tensor_name));
  std::string record = "data/" + storage.text;
  if (!zip.hasRecord(record)) throw Error(fmt::format("{}: storage record '{}' is missing", where, record));
  auto [ptr, size] = zip.getRecord(record);
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
  return gather_record(tensor_name, storage.storage_type, t.shape, t.stride, t.offset,
                       static_cast<const uint8_t*>(ptr.get()), where);
}

const PickleValue* find_entry(const PickleValue& dict, const std::string& key) {
  for (const auto& [k, v] : dict.entries)
    if (k->kind == Kind::string && k->text == key) return v;
  return nullptr;
}

std::vector<TensorRecord> read_state_dict(caffe2::serialize::PyTorchStreamReader& zip, const std::string& name) {
  if (!zip.hasRecord("data.pkl")) throw Error(file_error(name, "checkpoint has no data.pkl record"));
  auto [ptr, size] = zip.getRecord("data.pkl");
  const uint8_t* p = static_cast<const uint8_t*>(ptr.get());
  Pickle pickle = parse_pickle(Bytes(p, p + size), name);
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

// Refuses what libtorch's reader would refuse while it opens the archive, as it leaks the opened
// archive when its constructor throws: records outside a folder, or no version record (".data/version"
// or "version" in the first record's folder) with a format version it reads.
void check_torch_archive(const Bytes& data, const std::vector<StoredRecord>& records, const std::string& name) {
  if (records.empty()) throw Error(file_error(name, "zip checkpoint holds no records"));
  const size_t slash = records[0].name.find('/');
  if (slash == std::string::npos) throw Error(file_error(name, "zip checkpoint records are not in a folder"));
  const std::string folder = records[0].name.substr(0, slash + 1);
  const StoredRecord* version = nullptr;
  for (const char* leaf : {".data/version", "version"})
    for (const auto& r : records)
      if (!version && r.name == folder + leaf) version = &r;
  if (!version) throw Error(file_error(name, "zip checkpoint has no version record"));
  uint64_t number = 0;
  size_t digits = 0;
  const char* text = reinterpret_cast<const char*>(data.data()) + version->offset;
  while (digits < version->size && digits < 8 && std::isdigit(static_cast<unsigned char>(text[digits])))
    number = number * 10 + uint64_t(text[digits++] - '0');
  if (digits == 0 || number < caffe2::serialize::kMinSupportedFileFormatVersion ||
      number > caffe2::serialize::kMaxSupportedFileFormatVersion)
    throw Error(file_error(name, fmt::format("zip checkpoint format version '{}' is not one libtorch reads ({} to {})",
                                             escape_control(std::string(text, std::min<size_t>(version->size, 16))),
                                             caffe2::serialize::kMinSupportedFileFormatVersion,
                                             caffe2::serialize::kMaxSupportedFileFormatVersion)));
}

StorageType storage_type_of(DType d) {
  return d == DType::f32 ? StorageType::f32 : d == DType::f16 ? StorageType::f16 : StorageType::i32;
}

}  // namespace

std::vector<TensorRecord> parse_torch_checkpoint(const Bytes& data, const std::string& name) {
  if (data.size() < 4 || data[0] != 'P' || data[1] != 'K')
    throw Error(file_error(name, "not a zip-format torch checkpoint (legacy torch.save files are not supported; "
                                 "re-save with torch >= 1.6)"));
  check_torch_archive(data, check_stored_zip(data.data(), data.size(), name), name);
  try {
    caffe2::serialize::PyTorchStreamReader zip(std::make_shared<BytesAdapter>(data));
    return read_state_dict(zip, name);
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    throw Error(file_error(name, "corrupt or truncated zip checkpoint: " + what.substr(0, what.find('\n'))));
  }
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
