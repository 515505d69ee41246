#include "decoder/tensors.hpp"

#include "codec/quantize.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

namespace tiny::decoder {

TensorSet::TensorSet(const codec::ModelFile& model, std::string name) : name_(std::move(name)) {
  for (const auto& t : model.tensors) by_name_[t.name] = &t;
}

const codec::TensorRecord& TensorSet::find(const std::string& key) const {
  auto it = by_name_.find(key);
  if (it == by_name_.end()) throw Error(file_error(name_, fmt::format("model file lacks tensor '{}'", key)));
  return *it->second;
}

const std::vector<int64_t>& TensorSet::shape(const std::string& key) const { return find(key).shape; }

std::vector<float> TensorSet::floats(const std::string& key, const std::vector<int64_t>& shape) const {
  const codec::TensorRecord& r = find(key);
  if (r.shape != shape)
    throw Error(file_error(name_, fmt::format("tensor '{}' has shape {}, the architecture needs {}", key,
                                              fmt::join(r.shape, "x"), fmt::join(shape, "x"))));
  if (r.dtype == codec::DType::i32)
    throw Error(file_error(name_, fmt::format("tensor '{}' is int32, the architecture needs floats", key)));
  return codec::dequantize(r);
}

float TensorSet::scalar(const std::string& key) const { return floats(key, {1})[0]; }

std::vector<int32_t> TensorSet::ints(const std::string& key, size_t rank, std::vector<int64_t>& shape) const {
  const codec::TensorRecord& r = find(key);
  if (r.dtype != codec::DType::i32 || r.shape.size() != rank)
    throw Error(file_error(name_, fmt::format("tensor '{}' is not an int32 table of rank {}", key, rank)));
  shape = r.shape;
  std::vector<int32_t> v(codec::element_count(r.shape));
  if (r.data.size() != v.size() * sizeof(int32_t))
    throw Error(file_error(name_, fmt::format("tensor '{}' holds {} bytes for {} values", key, r.data.size(), v.size())));
  if (!v.empty()) std::memcpy(v.data(), r.data.data(), r.data.size());
  return v;
}

}  // namespace tiny::decoder
