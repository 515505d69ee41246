#pragma once
// The named tensors of a `.tmodel` as the decoder reads them: float32 values (dequantized from
// float16, int8, q4 or low-rank storage by codec_format's code) or int32 tables, each checked against
// the shape the architecture needs. Torch-free.
#include "codec/model_file.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tiny::decoder {

class TensorSet {
public:
  // Indexes the model's tensors (which must outlive the set); `name` (the model file) appears in errors.
  TensorSet(const codec::ModelFile& model, std::string name);
  // The values of a float tensor of exactly this shape; throws tiny::Error if absent or shaped otherwise.
  std::vector<float> floats(const std::string& key, const std::vector<int64_t>& shape) const;
  // The value of a float tensor of shape [1].
  float scalar(const std::string& key) const;
  // The values of an int32 tensor of rank `rank` (its shape in `shape`).
  std::vector<int32_t> ints(const std::string& key, size_t rank, std::vector<int64_t>& shape) const;
  // The shape of a tensor; throws tiny::Error if absent.
  const std::vector<int64_t>& shape(const std::string& key) const;

private:
  const codec::TensorRecord& find(const std::string& key) const;
  std::map<std::string, const codec::TensorRecord*> by_name_;
  std::string name_;
};

}  // namespace tiny::decoder
