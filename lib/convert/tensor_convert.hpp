#pragma once
// Storage elements of any torch dtype to tiny's tensor records (float32, float16 or int32).
#include "codec/model_file.hpp"
#include "convert/pickle.hpp"

#include <string>
#include <vector>

namespace tiny::convert {

// Element count of a shape; throws tiny::Error prefixed by `where` if a dimension is negative or the count is huge.
uint64_t checked_numel(const std::vector<int64_t>& shape, const std::string& where);
// The record dtype a storage type converts to (float32, float16 or int32).
codec::DType record_dtype(StorageType type);
// A record gathered from a strided view (offset and strides in elements, bounds checked by the caller);
// integers outside int32 throw tiny::Error prefixed by `where`.
codec::TensorRecord gather_record(const std::string& name, StorageType type, const std::vector<int64_t>& shape,
                                  const std::vector<int64_t>& stride, int64_t offset, const uint8_t* storage,
                                  const std::string& where);
// A record from contiguous row-major elements.
codec::TensorRecord to_record(const std::string& name, StorageType type, const std::vector<int64_t>& shape,
                              const uint8_t* data, const std::string& where);
// Row-major strides of a shape.
std::vector<int64_t> contiguous_strides(const std::vector<int64_t>& shape);

}  // namespace tiny::convert
