#include "train/checkpoint.hpp"

#include "convert/checkpoint.hpp"
#include "convert/pickle_lengths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <mutex>

namespace tiny::train {
namespace {

constexpr const char* kFormat = "tiny-train-checkpoint-1";

Json header_json(const CheckpointHeader& h) {
  return {{"format", kFormat}, {"arch", h.arch}, {"N", h.N}, {"M", h.M}, {"quality", h.quality},
          {"step", h.step}, {"best", h.best}, {"has_best", h.has_best}, {"schedule", h.schedule},
          {"config", h.config}};
}

CheckpointHeader parse_header(const Json& j) {
  CheckpointHeader h;
  h.arch = j.at("arch").get<std::string>();
  h.N = j.at("N").get<int>();
  h.M = j.at("M").get<int>();
  h.quality = j.at("quality").get<int>();
  h.step = j.at("step").get<int64_t>();
  h.best = j.at("best").get<double>();
  h.has_best = j.at("has_best").get<bool>();
  h.schedule = j.at("schedule");
  h.config = j.at("config");
  h.compact = j.value("compact", false);
  return h;
}

}  // namespace

OptimizerParameters optimizer_parameters(codec::CompressionModel& model) {
  OptimizerParameters out;
  for (auto& item : model.named_parameters(true))
    (ends_with(item.key(), "quantiles") ? out.aux : out.net).push_back(item.value());
  return out;
}

std::string serialize_checkpoint(const CheckpointHeader& header, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer, bool compact) {
  torch::serialize::OutputArchive archive;
  Json h = header_json(header);
  h["compact"] = compact;
  archive.write("header", c10::IValue(h.dump()));
  torch::serialize::OutputArchive m, o, a;
  if (compact) {
    torch::NoGradGuard no_grad;
    for (const auto& p : model.named_parameters(true)) m.write(p.key(), p.value().detach().to(torch::kCPU, torch::kHalf));
    for (const auto& b : model.named_buffers(true)) m.write(b.key(), b.value().cpu(), /*is_buffer=*/true);
  } else {
    model.save(m);
    optimizer.save(o);
    aux_optimizer.save(a);
    archive.write("optimizer", o);
    archive.write("aux_optimizer", a);
  }
  archive.write("model", m);
  {
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    archive.write("rng", gen.get_state());
  }
  std::string bytes;
  archive.save_to([&](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  return bytes;
}

CheckpointHeader load_checkpoint(const std::string& path, codec::CompressionModel& model,
                                 torch::optim::Adam& optimizer, torch::optim::Adam& aux_optimizer,
                                 const torch::Device& device) {
  Bytes bytes = read_file(path);
  // What libtorch's reader would take on trust: the zip's records and every pickle's lengths.
  for (const auto& [record, span] : convert::torch_zip_records(bytes, path, true))
    if (ends_with(record, "pkl")) convert::check_pickle_lengths(span.data, span.size, path + ": " + record);
  torch::serialize::InputArchive archive;
  CheckpointHeader h;
  try {
    archive.load_from(reinterpret_cast<const char*>(bytes.data()), bytes.size(), device);
    c10::IValue text;
    archive.read("header", text);
    Json j = parse_json(text.toStringRef(), path);
    if (j.value("format", "") != kFormat) throw Error("not a tiny training checkpoint");
    h = parse_header(j);
  } catch (const Error& e) {
    throw Error(file_error(path, e.what()));
  } catch (const std::exception&) {
    throw Error(file_error(path, "not a readable training checkpoint"));
  }
  const codec::ArchConfig& want = model.config;
  if (h.arch != want.arch || h.N != want.N || h.M != want.M)
    throw Error(file_error(path, fmt::format("checkpoint is for {} N={} M={}, the configuration asks for {} N={} M={}",
                                             h.arch, h.N, h.M, want.arch, want.N, want.M)));
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
