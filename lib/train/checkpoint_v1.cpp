#include "train/checkpoint_v1.hpp"

#include "convert/checkpoint.hpp"
#include "convert/pickle_lengths.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "train/checkpoint_header.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <cstring>
#include <mutex>

namespace tiny::train {

bool is_checkpoint_v1(const Bytes& bytes) { return bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\x03\x04", 4) == 0; }

CheckpointHeader load_checkpoint_v1(const Bytes& bytes, const std::string& path, codec::CompressionModel& model,
                                    torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                    const torch::Device& device) {
  // What libtorch's reader would take on trust: the zip's records and every pickle's lengths.
  for (const auto& [record, span] : convert::torch_zip_records(bytes, path, true))
    if (ends_with(record, "pkl")) convert::check_pickle_lengths(span.data, span.size, path + ": " + record);
  torch::serialize::InputArchive archive;
  Json j;
  try {
    archive.load_from(reinterpret_cast<const char*>(bytes.data()), bytes.size(), device);
    c10::IValue text;
    archive.read("header", text);
    j = parse_json(text.toStringRef(), path);
  } catch (const Error& e) {
    throw Error(file_error(path, e.what()));
  } catch (const std::exception&) {
    throw Error(file_error(path, "not a readable training checkpoint"));
  }
  const CheckpointHeader h = parse_checkpoint_header(j, "tiny-train-checkpoint-1", model.config, path);
  try {
    torch::serialize::InputArchive m, o, a;
    archive.read("model", m);
    if (h.compact) {
      torch::NoGradGuard no_grad;
      auto copy = [&](const std::string& name, torch::Tensor& target, bool buffer) {
        torch::Tensor stored;
        m.read(name, stored, buffer);
        if (stored.sizes() != target.sizes()) throw Error(fmt::format("tensor {} has another shape", name));
        target.copy_(stored);
      };
      for (auto& p : model.named_parameters(true)) copy(p.key(), p.value(), false);
      for (auto& b : model.named_buffers(true)) copy(b.key(), b.value(), true);
    } else {
      archive.read("optimizer", o);
      archive.read("aux_optimizer", a);
      model.load(m);
      optimizer.load(o);
      aux_optimizer.load(a);
    }
    torch::Tensor state;
    archive.read("rng", state);
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state.cpu());
  } catch (const std::exception& e) {
    throw Error(file_error(path, std::string("checkpoint does not fit the model: ") + e.what()));
  }
  return h;
}

}  // namespace tiny::train
