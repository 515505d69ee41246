#include "train/checkpoint_header.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <limits>

namespace tiny::train {

Json checkpoint_header_json(const CheckpointHeader& h, const std::string& format) {
  return {{"format", format}, {"arch", h.arch}, {"N", h.N}, {"M", h.M}, {"quality", h.quality},
          {"step", h.step}, {"best", h.best}, {"has_best", h.has_best}, {"schedule", h.schedule},
          {"config", h.config}, {"compact", h.compact}};
}

CheckpointHeader parse_checkpoint_header(const Json& j, const std::string& format, const codec::ArchConfig& want,
                                         const std::string& path) {
  CheckpointHeader h;
  try {
    if (!j.is_object() || j.value("format", "") != format) throw Error(file_error(path, "not a tiny training checkpoint"));
    // Integers only: nlohmann converts a float such as 1e300 to int without a range check.
    auto integer = [&](const char* key, int64_t max) {
      const Json& v = j.at(key);
      if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(max)) ||
          v.get<int64_t>() < -max || v.get<int64_t>() > max)
        throw Error(file_error(path, fmt::format("checkpoint header field '{}' is not an integer in range", key)));
      return v.get<int64_t>();
    };
    constexpr int64_t kIntMax = std::numeric_limits<int>::max();
    h.arch = j.at("arch").get<std::string>();
    h.N = int(integer("N", kIntMax));
    h.M = int(integer("M", kIntMax));
    h.quality = int(integer("quality", kIntMax));
    h.step = integer("step", std::numeric_limits<int64_t>::max());
    h.best = j.at("best").get<double>();
    h.has_best = j.at("has_best").get<bool>();
    h.schedule = j.at("schedule");
    h.config = j.at("config");
    h.compact = j.value("compact", false);
  } catch (const Json::exception& e) {
    throw Error(file_error(path, fmt::format("malformed checkpoint header: {}", e.what())));
  }
  if (h.step < 0) throw Error(file_error(path, fmt::format("checkpoint header has a negative step ({})", h.step)));
  if (h.arch != want.arch || h.N != want.N || h.M != want.M)
    throw Error(file_error(path, fmt::format("checkpoint is for {} N={} M={}, the configuration asks for {} N={} M={}",
                                             h.arch, h.N, h.M, want.arch, want.N, want.M)));
  return h;
}

}  // namespace tiny::train
