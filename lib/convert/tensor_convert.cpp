#include "convert/tensor_convert.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cstring>
#include <limits>

namespace tiny::convert {
namespace {

using codec::DType;

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

void convert_element(StorageType type, const uint8_t* src, DType dtype, uint8_t* out, const std::string& where) {
  if (dtype == DType::f16) {
    std::memcpy(out, src, 2);
    return;
  }
  if (dtype == DType::f32) {
    float v;
    if (type == StorageType::f32) {
      v = load<float>(src);
    } else if (type == StorageType::f64) {
      v = float(load<double>(src));
    } else {  // bfloat16: the upper half of a float32
      uint32_t bits = uint32_t(load<uint16_t>(src)) << 16;
      std::memcpy(&v, &bits, 4);
    }
    std::memcpy(out, &v, 4);
    return;
  }
  int64_t v;
  switch (type) {
    case StorageType::i32: v = load<int32_t>(src); break;
    case StorageType::i64: v = load<int64_t>(src); break;
    case StorageType::i16: v = load<int16_t>(src); break;
    case StorageType::i8: v = load<int8_t>(src); break;
    default: v = *src;
  }
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    throw Error(fmt::format("{} holds {}, which does not fit int32", where, v));
  int32_t narrow = int32_t(v);
  std::memcpy(out, &narrow, 4);
}

}  // namespace

uint64_t checked_numel(const std::vector<int64_t>& shape, const std::string& where) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error(where + ": negative dimension");
    if (d != 0 && n > (uint64_t(1) << 40) / uint64_t(d)) throw Error(where + ": tensor is too large");
    n *= uint64_t(d);
  }
  return n;
}

DType record_dtype(StorageType type) {
  switch (type) {
    case StorageType::f32: case StorageType::f64: case StorageType::bf16: return DType::f32;
    case StorageType::f16: return DType::f16;
    default: return DType::i32;
  }
}

std::vector<int64_t> contiguous_strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> stride(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) stride[i - 1] = stride[i] * shape[i];
  return stride;
}

codec::TensorRecord gather_record(const std::string& name, StorageType type, const std::vector<int64_t>& shape,
                                  const std::vector<int64_t>& stride, int64_t offset, const uint8_t* storage,
                                  const std::string& where) {
  codec::TensorRecord r;
  r.name = name;
  r.dtype = record_dtype(type);
  r.shape = shape;
  const uint64_t numel = checked_numel(shape, where);
  const size_t in_size = storage_type_size(type), out_size = codec::dtype_size(r.dtype);
  r.data.resize(size_t(numel) * out_size);
  std::vector<int64_t> index(shape.size(), 0);
  for (uint64_t i = 0; i < numel; ++i) {
    int64_t element = offset;
    for (size_t k = 0; k < index.size(); ++k) element += index[k] * stride[k];
    convert_element(type, storage + size_t(element) * in_size, r.dtype, r.data.data() + i * out_size, where);
    for (size_t k = index.size(); k-- > 0;) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return r;
}

codec::TensorRecord to_record(const std::string& name, StorageType type, const std::vector<int64_t>& shape,
                              const uint8_t* data, const std::string& where) {
  return gather_record(name, type, shape, contiguous_strides(shape), 0, data, where);
}

}  // namespace tiny::convert
