#include "train/checkpoint_v2.hpp"

#include "codec/model_file.hpp"
#include "codec/model_io.hpp"
#include "convert/safetensors.hpp"
#include "core/error.hpp"
#include "train/checkpoint_header.hpp"
#include "train/rng_state.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>

namespace tiny::train {
namespace {

using codec::DType;
using codec::TensorRecord;
using torch::optim::AdamParamState;

constexpr const char* kFormat = "tiny-train-checkpoint-2";

// FNV-1a 64 over the header text and every record's name, dtype, shape and data, records by name.
std::string content_hash(const std::string& header, const std::vector<TensorRecord>& records) {
  std::vector<const TensorRecord*> sorted;
  for (const auto& r : records) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const TensorRecord* a, const TensorRecord* b) { return a->name < b->name; });
  auto hash = [](const void* data, size_t size) { return codec::fnv1a64(static_cast<const uint8_t*>(data), size); };
  std::vector<uint64_t> parts{hash(header.data(), header.size())};
  for (const TensorRecord* r : sorted) {
    parts.push_back(hash(r->name.data(), r->name.size()));
    parts.push_back(uint64_t(r->dtype));
    parts.push_back(hash(r->shape.data(), r->shape.size() * sizeof(int64_t)));
    parts.push_back(hash(r->data.data(), r->data.size()));
  }
  return fmt::format("{:016x}", hash(parts.data(), parts.size() * sizeof(uint64_t)));
}

std::string state_key(const torch::Tensor& param) { return c10::guts::to_string(param.unsafeGetTensorImpl()); }

bool amsgrad(torch::optim::Adam& adam) {
  return static_cast<const torch::optim::AdamOptions&>(adam.param_groups().at(0).options()).amsgrad();
}

void add_adam_state(convert::SafeTensors& file, const std::string& prefix, const std::vector<torch::Tensor>& params,
                    torch::optim::Adam& adam) {
  for (size_t i = 0; i < params.size(); ++i) {
    auto it = adam.state().find(state_key(params[i]));
    if (it == adam.state().end()) continue;
    const auto& s = static_cast<const AdamParamState&>(*it->second);
    const std::string key = fmt::format("{}.{}.", prefix, i);
    if (s.step() > std::numeric_limits<int32_t>::max())
      throw Error(fmt::format("optimiser step {} does not fit a checkpoint", s.step()));
    file.tensors.push_back(codec::tensor_to_record(key + "step", torch::tensor(int32_t(s.step())), false));
    file.tensors.push_back(codec::tensor_to_record(key + "exp_avg", s.exp_avg(), false));
    file.tensors.push_back(codec::tensor_to_record(key + "exp_avg_sq", s.exp_avg_sq(), false));
    if (s.max_exp_avg_sq().defined())
      file.tensors.push_back(codec::tensor_to_record(key + "max_exp_avg_sq", s.max_exp_avg_sq(), false));
  }
}

// The records of a file by name, taken one by one with their dtype and shape checked.
class Records {
 public:
  Records(const std::vector<TensorRecord>& records, const std::string& path) : path_(path) {
    for (const auto& r : records) by_name_[r.name] = &r;
  }
  // The record `name` as a CPU tensor; throws Error if it is missing or has another dtype or shape.
  torch::Tensor take(const std::string& name, DType dtype, const std::vector<int64_t>& shape) {
    std::optional<torch::Tensor> t = take_if_present(name, dtype, shape);
    if (!t) throw Error(file_error(path_, fmt::format("tensor '{}' is missing", name)));
    return *t;
  }
  // As take(), or nothing if the file has no such record.
  std::optional<torch::Tensor> take_if_present(const std::string& name, DType dtype, const std::vector<int64_t>& shape) {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return std::nullopt;
    const TensorRecord& r = *it->second;
    if (r.dtype != dtype)
      throw Error(file_error(path_, fmt::format("tensor '{}' is {}, expected {}", name, dtype_text(r.dtype), dtype_text(dtype))));
    if (r.shape != shape)
      throw Error(file_error(path_, fmt::format("tensor '{}' has shape [{}], expected [{}]", name, fmt::join(r.shape, ", "),
                                                fmt::join(shape, ", "))));
    by_name_.erase(it);
    return codec::record_to_tensor(r);
  }
  // Throws Error if a record was not taken.
  void check_all_taken() const {
    if (!by_name_.empty()) throw Error(file_error(path_, fmt::format("unexpected tensor '{}'", by_name_.begin()->first)));
  }

 private:
  static const char* dtype_text(DType d) { return d == DType::f32 ? "float32" : d == DType::f16 ? "float16" : d == DType::i32 ? "int32" : "quantized"; }
  std::string path_;
  std::map<std::string, const TensorRecord*> by_name_;
};

DType record_dtype(const torch::Tensor& t, bool half) {
  if (t.scalar_type() == torch::kInt32 || t.scalar_type() == torch::kInt64) return DType::i32;
  return half ? DType::f16 : DType::f32;
}

// One optimiser's states read from the records, by parameter index.
std::vector<std::pair<size_t, AdamParamState>> take_adam_state(Records& records, const std::string& prefix,
                                                               const std::vector<torch::Tensor>& params,
                                                               torch::optim::Adam& adam, const std::string& path) {
  std::vector<std::pair<size_t, AdamParamState>> out;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::string key = fmt::format("{}.{}.", prefix, i);
    std::optional<torch::Tensor> step = records.take_if_present(key + "step", DType::i32, {});
    if (!step) continue;
    const std::vector<int64_t> shape = params[i].sizes().vec();
    AdamParamState s;
    s.step(step->item<int32_t>());
    if (s.step() < 0) throw Error(file_error(path, fmt::format("tensor '{}step' is negative", key)));
    s.exp_avg(records.take(key + "exp_avg", DType::f32, shape));
    s.exp_avg_sq(records.take(key + "exp_avg_sq", DType::f32, shape));
    if (amsgrad(adam)) s.max_exp_avg_sq(records.take(key + "max_exp_avg_sq", DType::f32, shape));
    out.emplace_back(i, std::move(s));
  }
  return out;
}

void restore_adam_state(torch::optim::Adam& adam, const std::vector<torch::Tensor>& params,
                        std::vector<std::pair<size_t, AdamParamState>> states) {
  adam.state().clear();
  for (auto& [i, s] : states) {
    const torch::Device device = params[i].device();
    s.exp_avg(s.exp_avg().to(device));
    s.exp_avg_sq(s.exp_avg_sq().to(device));
    if (s.max_exp_avg_sq().defined()) s.max_exp_avg_sq(s.max_exp_avg_sq().to(device));
    adam.state()[state_key(params[i])] = std::make_unique<AdamParamState>(std::move(s));
  }
}

}  // namespace

Bytes checkpoint_v2_bytes(const CheckpointHeader& header, codec::CompressionModel& model,
                          torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer, bool compact) {
  CheckpointHeader h = header;
  h.compact = compact;
  convert::SafeTensors file;
  file.metadata["header"] = checkpoint_header_json(h, kFormat).dump();
  for (TensorRecord& r : codec::model_tensors(model, compact)) {
    r.name = "model." + r.name;
    file.tensors.push_back(std::move(r));
  }
  if (!compact) {
    const OptimizerParameters params = optimizer_parameters(model);
    add_adam_state(file, "opt", params.net, optimizer);
    add_adam_state(file, "aux", params.aux, aux_optimizer);
  }
  file.tensors.push_back(codec::tensor_to_record("rng", cpu_rng_state().to(torch::kInt32), false));
  file.metadata["hash"] = content_hash(file.metadata["header"], file.tensors);
  return convert::safetensors_bytes(file);
}

CheckpointHeader load_checkpoint_v2(const Bytes& bytes, const std::string& path, codec::CompressionModel& model,
                                    torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer) {
  const convert::SafeTensors file = convert::parse_safetensors(bytes, path);
  auto meta = file.metadata.find("header");
  auto hash = file.metadata.find("hash");
  if (meta == file.metadata.end() || hash == file.metadata.end())
    throw Error(file_error(path, "not a tiny training checkpoint (no header or hash)"));
  const CheckpointHeader h = parse_checkpoint_header(parse_json(meta->second, path), kFormat, model.config, path);

  Records records(file.tensors, path);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // model tensor, stored value
  for (const auto& p : model.named_parameters(true))
    copies.emplace_back(p.value(), records.take("model." + p.key(), record_dtype(p.value(), h.compact), p.value().sizes().vec()));
  for (const auto& b : model.named_buffers(true))
    copies.emplace_back(b.value(), records.take("model." + b.key(), record_dtype(b.value(), false), b.value().sizes().vec()));
  const OptimizerParameters params = optimizer_parameters(model);
  auto net_state = take_adam_state(records, "opt", params.net, optimizer, path);
  auto aux_state = take_adam_state(records, "aux", params.aux, aux_optimizer, path);
  const torch::Tensor rng_words = records.take("rng", DType::i32, {cpu_rng_state().numel()});
  records.check_all_taken();
  if (h.compact && (!net_state.empty() || !aux_state.empty()))
    throw Error(file_error(path, "a compact checkpoint holds optimiser state"));
  if ((rng_words < 0).any().item<bool>() || (rng_words > 255).any().item<bool>())
    throw Error(file_error(path, "the random generator state holds values outside 0..255"));
  const torch::Tensor rng = rng_words.to(torch::kUInt8);
  check_cpu_rng_state(rng, file_error(path, "tensor 'rng'"));
  // Checked last so that fuzzing reaches every check above; nothing is copied before it.
  if (hash->second != content_hash(meta->second, file.tensors))
    throw Error(file_error(path, "checkpoint is corrupt: its content does not match its hash"));

  {
    torch::NoGradGuard no_grad;
    for (auto& [target, value] : copies) target.copy_(value);
  }
  restore_adam_state(optimizer, params.net, std::move(net_state));
  restore_adam_state(aux_optimizer, params.aux, std::move(aux_state));
  set_cpu_rng_state(rng);
  return h;
}

}  // namespace tiny::train
