#include "codec/model_io.hpp"

#include "codec/quantize.hpp"
#include "core/text.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cstring>
#include <map>

namespace tiny::codec {
TensorRecord tensor_to_record(const std::string& name, const torch::Tensor& t, bool half) {
  TensorRecord r;
  r.name = name;
  torch::Tensor c;
  if (t.scalar_type() == torch::kInt32 || t.scalar_type() == torch::kInt64) {
    r.dtype = DType::i32;
    c = t.to(torch::kInt32);
  } else {
    r.dtype = half ? DType::f16 : DType::f32;
    c = t.to(half ? torch::kHalf : torch::kFloat32);
  }
  c = c.contiguous().cpu();
  r.shape = c.sizes().vec();
  r.data.resize(size_t(c.numel()) * dtype_size(r.dtype));
  if (!r.data.empty()) std::memcpy(r.data.data(), c.data_ptr(), r.data.size());
  return r;
}


torch::Tensor record_to_tensor(const TensorRecord& r) {
  if (r.dtype == DType::q8 || r.dtype == DType::q4 || r.dtype == DType::lr) {
    std::vector<float> values = dequantize(r);
    return torch::from_blob(values.data(), r.shape, torch::kFloat32).clone();
  }
  auto type = r.dtype == DType::f32 ? torch::kFloat32 : r.dtype == DType::f16 ? torch::kHalf : torch::kInt32;
  torch::Tensor t = torch::empty(r.shape, type);
  if (!r.data.empty()) std::memcpy(t.data_ptr(), r.data.data(), r.data.size());
  return t;
}

bool is_table_buffer(const std::string& name) {
  for (const char* suffix : {"._quantized_cdf", "._offset", "._cdf_length"})
    if (ends_with(name, suffix)) return true;
  return false;
}

std::vector<TensorRecord> model_tensors(CompressionModel& model, bool half) {
  std::vector<TensorRecord> out;
  for (const auto& p : model.named_parameters(true)) out.push_back(tensor_to_record(p.key(), p.value().detach(), half));
  for (const auto& b : model.named_buffers(true)) out.push_back(tensor_to_record(b.key(), b.value(), false));
  return out;
}

uint64_t write_model(const std::string& path, CompressionModel& model, const nlohmann::json& provenance, bool half,
                     bool overwrite) {
  ModelFile f;
  f.arch = model.config.arch, f.quality = model.config.quality, f.N = model.config.N, f.M = model.config.M;
  f.lambda = model.config.lambda;
  f.provenance = provenance;
  f.tensors = model_tensors(model, half);
  write_model_file(path, f, overwrite);
  return f.hash;
}

void load_tensors(CompressionModel& model, const std::vector<TensorRecord>& records, const std::string& name) {
  std::map<std::string, const TensorRecord*> by_name;
  for (const auto& r : records) by_name[r.name] = &r;
  torch::NoGradGuard no_grad;
  auto take = [&](const std::string& key, torch::Tensor& dst, bool any_shape) {
    auto it = by_name.find(key);
    if (it == by_name.end()) throw Error(file_error(name, fmt::format("model file lacks tensor '{}'", key)));
    torch::Tensor src = record_to_tensor(*it->second);
    by_name.erase(it);
    if (any_shape) {
      dst.set_(src.to(dst.scalar_type()).clone());
      return;
    }
    if (src.sizes() != dst.sizes())
      throw Error(file_error(name, fmt::format("tensor '{}' has shape {}, the architecture needs {}", key,
                                               fmt::join(src.sizes(), "x"), fmt::join(dst.sizes(), "x"))));
    dst.copy_(src.to(dst.scalar_type()));
  };
  for (auto& p : model.named_parameters(true)) take(p.key(), p.value(), false);
  for (auto& b : model.named_buffers(true)) take(b.key(), b.value(), is_table_buffer(b.key()));
  if (!by_name.empty())
    throw Error(file_error(name, fmt::format("model file has tensor '{}' that the architecture does not have",
                                             by_name.begin()->first)));
}

size_t load_matching_tensors(CompressionModel& model, const std::vector<TensorRecord>& records) {
  std::map<std::string, const TensorRecord*> by_name;
  for (const auto& r : records) by_name[r.name] = &r;
  torch::NoGradGuard no_grad;
  size_t copied = 0;
  auto take = [&](const std::string& key, torch::Tensor& dst) {
    auto it = by_name.find(key);
    if (it == by_name.end() || is_table_buffer(key) || it->second->shape != dst.sizes().vec()) return false;
    dst.copy_(record_to_tensor(*it->second).to(dst.scalar_type()));
    return true;
  };
  for (auto& p : model.named_parameters(true)) copied += take(p.key(), p.value());
  for (auto& b : model.named_buffers(true)) take(b.key(), b.value());
  return copied;
}

}  // namespace tiny::codec
