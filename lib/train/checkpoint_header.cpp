#include "train/checkpoint_header.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::train {

Json checkpoint_header_json(const CheckpointHeader& h, const std::string& format) {
  return {{"format", format}, {"arch", h.arch}, {"N", h.N}, {"M", h.M}, {"quality", h.quality},
          {"step", h.step}, {"best", h.best}, {"has_best", h.has_best}, {"schedule", h.schedule},
          {"config", h.config}, {"compact", h.compact}};
}

CheckpointHeader parse_checkpoint_header(const Json& j, const std::string& format, const codec::ArchConfig& want,
                                         const std::string& path) {
  if (!j.is_object() || j.value("format", "") != format)
    throw Error(file_error(path, "not a tiny training checkpoint"));
  CheckpointHeader h;
  try {
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
  } catch (const Json::exception& e) {
    throw Error(file_error(path, fmt::format("malformed checkpoint header: {}", e.what())));
  }
  if (h.arch != want.arch || h.N != want.N || h.M != want.M)
    throw Error(file_error(path, fmt::format("checkpoint is for {} N={} M={}, the configuration asks for {} N={} M={}",
                                             h.arch, h.N, h.M, want.arch, want.N, want.M)));
  return h;
}

}  // namespace tiny::train
