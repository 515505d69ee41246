#pragma once
// A restricted Python pickle reader and writer for torch checkpoints (protocols 2-4). The reader
// builds a value tree and never imports arbitrary globals: only collections.OrderedDict,
// torch._utils._rebuild_tensor_v2 and the torch.*Storage types, plus torch.save's persistent-id
// storage records. Supported opcodes are listed in docs/formats.md; any other opcode or global is
// refused with an error naming it.
#include "core/file_io.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tiny::convert {

// Element type of a torch storage.
enum class StorageType : uint8_t { f32, f64, f16, bf16, i32, i64, u8, i8, i16, boolean };

// One pickled value. Containers refer to values owned by the Pickle that parsed them.
struct PickleValue {
  enum class Kind { none, boolean, integer, real, string, bytes, tuple, list, dict, global, storage, tensor };
  Kind kind = Kind::none;
  int64_t integer = 0;                                  // boolean, integer; storage: element count
  double real = 0.0;                                    // real
  std::string text;                                     // string, bytes, global ("module.name"), storage key
  StorageType storage_type = StorageType::f32;          // storage, global of a storage type
  std::vector<const PickleValue*> items;                // tuple, list; tensor: items[0] is its storage
  std::vector<std::pair<const PickleValue*, const PickleValue*>> entries;  // dict, in insertion order
  std::vector<int64_t> shape, stride;                   // tensor
  int64_t offset = 0;                                   // tensor: storage offset in elements
};

// A parsed pickle: the root value and the arena that owns every value.
class Pickle {
public:
  const PickleValue* root = nullptr;
  // A new value owned by this pickle.
  PickleValue* make(PickleValue::Kind kind);

private:
  std::vector<std::unique_ptr<PickleValue>> arena_;
};

// Parses pickle bytes; `name` appears in errors (bad opcode, refused global, truncation).
Pickle parse_pickle(const Bytes& data, const std::string& name);
// Size in bytes of one element of a storage type.
size_t storage_type_size(StorageType t);
// Python name of a storage type ("FloatStorage").
const char* storage_type_name(StorageType t);

// One tensor to pickle: a storage record `key` of `numel` elements holding it contiguously.
struct PickledTensor {
  std::string name, key;
  StorageType type = StorageType::f32;
  std::vector<int64_t> shape;
};
// Pickles a plain dict {name: tensor} as torch.save writes it (protocol 2, persistent-id storages).
Bytes write_state_dict_pickle(const std::vector<PickledTensor>& tensors);

}  // namespace tiny::convert
