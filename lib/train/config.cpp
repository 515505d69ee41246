#include "train/config.hpp"

#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "train/loss.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <type_traits>

namespace tiny::train {
namespace {

// Reads key `key` of `object` into `out` if present; a wrong type, a fraction where an integer belongs, a
// number outside the type's range or a non-finite one is a UsageError naming the key.
template <typename T>
void field(const Json& object, const std::string& section, const char* key, T& out, const std::string& origin) {
  auto it = object.find(key);
  if (it == object.end()) return;
  auto fail = [&](const std::string& why) {
    throw UsageError(file_error(origin, fmt::format("key \"{}{}\" {}", section, key, why)));
  };
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!it->is_number_integer()) fail(fmt::format("must be a whole number (it is {})", it->dump()));
    const bool negative = it->is_number_unsigned() ? false : it->template get<int64_t>() < 0;
    if (negative ? (std::is_unsigned_v<T> || it->template get<int64_t>() < int64_t(std::numeric_limits<T>::min()))
                 : it->template get<uint64_t>() > uint64_t(std::numeric_limits<T>::max()))
      fail(fmt::format("is out of range ({}; at most {})", it->dump(), std::numeric_limits<T>::max()));
    out = it->template get<T>();
    return;
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (!it->is_number()) fail(fmt::format("has the wrong type ({})", it->type_name()));
    out = it->template get<T>();
    if (!std::isfinite(out)) fail("must be a finite number");
    return;
  }
  try {
    out = it->template get<T>();
  } catch (const Json::exception&) {
    fail(fmt::format("has the wrong type ({})", it->type_name()));
  }
}

// The section object `key` (empty if absent); not an object is an error.
Json section(const Json& root, const char* key, const std::vector<std::string>& known, const std::string& origin) {
  auto it = root.find(key);
  if (it == root.end()) return Json::object();
  if (!it->is_object()) throw UsageError(file_error(origin, fmt::format("key \"{}\" must be an object", key)));
  check_known_keys(*it, known, fmt::format("{}: \"{}\"", origin, key));
  return *it;
}

// A list of strings, also accepting one string.
void paths(const Json& object, const char* key, std::vector<std::string>& out, const std::string& origin) {
  auto it = object.find(key);
  if (it == object.end()) return;
  if (it->is_string()) {
    out = {it->get<std::string>()};
    return;
  }
  field(object, "data.", key, out, origin);
}

void require(bool ok, const std::string& origin, const std::string& message) {
  if (!ok) throw UsageError(file_error(origin, message));
}

}  // namespace

TrainConfig parse_config(const Json& json, const std::string& origin) {
  if (!json.is_object()) throw UsageError(file_error(origin, "a training configuration must be a JSON object"));
  check_known_keys(json,
                   {"model", "data", "loss", "optimizer", "schedule", "steps", "seed", "device", "eval_interval",
                    "checkpoint_interval", "log_interval", "checkpoint_dir", "half", "bf16"},
                   origin);
  TrainConfig c;
  c.origin = origin;
  c.json = json;
  Json m = section(json, "model", {"arch", "quality", "N", "M", "init", "quantize", "rounding"}, origin);
  field(m, "model.", "arch", c.model.arch, origin);
  field(m, "model.", "quality", c.model.quality, origin);
  field(m, "model.", "N", c.model.N, origin);
  field(m, "model.", "M", c.model.M, origin);
  field(m, "model.", "init", c.model.init, origin);
  field(m, "model.", "quantize", c.model.quantize, origin);
  field(m, "model.", "rounding", c.model.rounding, origin);
  require(!c.model.arch.empty(), origin, "key \"model.arch\" is required");
  require(codec::known_architecture(c.model.arch), origin, fmt::format("unknown architecture \"{}\"", c.model.arch));
  require(c.model.quality >= 1 && c.model.quality <= codec::max_quality(c.model.arch), origin,
          fmt::format("key \"model.quality\" must be 1..{}", codec::max_quality(c.model.arch)));
  require(c.model.N >= 0 && c.model.M >= 0, origin, "keys \"model.N\" and \"model.M\" must be positive");
  require(c.model.rounding == "noise" || c.model.rounding == "mixed", origin,
          fmt::format("key \"model.rounding\": unknown rounding \"{}\" (noise, mixed)", c.model.rounding));
  require(c.model.quantize == "none" || c.model.quantize == "int8" || c.model.quantize == "q4", origin,
          fmt::format("key \"model.quantize\": unknown quantization \"{}\" (none, int8, q4)", c.model.quantize));

  Json d = section(json, "data",
                   {"train", "val", "val_fraction", "val_images", "val_patch_size", "patch_size", "batch_size",
                    "loader_threads", "prefetch", "flip", "min_scale", "max_scale", "cache", "cache_patches"},
                   origin);
  paths(d, "train", c.data.train, origin);
  paths(d, "val", c.data.val, origin);
  field(d, "data.", "val_fraction", c.data.val_fraction, origin);
  field(d, "data.", "val_images", c.data.val_images, origin);
  field(d, "data.", "val_patch_size", c.data.val_patch_size, origin);
  field(d, "data.", "patch_size", c.data.patch_size, origin);
  field(d, "data.", "batch_size", c.data.batch_size, origin);
  field(d, "data.", "loader_threads", c.data.loader_threads, origin);
  field(d, "data.", "prefetch", c.data.prefetch, origin);
  field(d, "data.", "flip", c.data.flip, origin);
  field(d, "data.", "min_scale", c.data.min_scale, origin);
  field(d, "data.", "max_scale", c.data.max_scale, origin);
  field(d, "data.", "cache", c.data.cache, origin);
  field(d, "data.", "cache_patches", c.data.cache_patches, origin);
  require(!c.data.train.empty(), origin, "key \"data.train\" is required (folders, lists or image files)");
  require(c.data.val_fraction >= 0 && c.data.val_fraction < 1, origin, "key \"data.val_fraction\" must be in [0, 1)");
  require(c.data.val_images >= 0, origin, "key \"data.val_images\" must be >= 0");
  require(c.data.patch_size >= 64 && c.data.patch_size % 64 == 0, origin,
          "key \"data.patch_size\" must be a multiple of 64");
  require(c.data.val_patch_size >= 64 && c.data.val_patch_size % 64 == 0, origin,
          "key \"data.val_patch_size\" must be a multiple of 64");
  require(c.data.batch_size >= 1, origin, "key \"data.batch_size\" must be >= 1");
  require(c.data.loader_threads >= 1 && c.data.prefetch >= 1, origin,
          "keys \"data.loader_threads\" and \"data.prefetch\" must be >= 1");
  require(c.data.min_scale > 0 && c.data.min_scale <= c.data.max_scale && c.data.max_scale <= 1, origin,
          "keys \"data.min_scale\" and \"data.max_scale\" need 0 < min_scale <= max_scale <= 1");
  require(c.data.cache_patches >= 1, origin, "key \"data.cache_patches\" must be >= 1");

  Json l = section(json, "loss", {"type", "lambda"}, origin);
  field(l, "loss.", "type", c.loss.type, origin);
  field(l, "loss.", "lambda", c.loss.lambda, origin);
  require(c.loss.type == "mse" || c.loss.type == "ms-ssim", origin,
          fmt::format("key \"loss.type\": unknown loss \"{}\" (mse, ms-ssim)", c.loss.type));
  require(c.loss.lambda >= 0, origin, "key \"loss.lambda\" must be >= 0");
  require(c.loss.lambda == 0 || codec::rate_levels(c.model.arch) == 0, origin,
          fmt::format("key \"loss.lambda\": {} trains every rate level at its own lambda; leave it out", c.model.arch));

  Json o = section(json, "optimizer", {"lr", "aux_lr", "clip"}, origin);
  field(o, "optimizer.", "lr", c.optimizer.lr, origin);
  field(o, "optimizer.", "aux_lr", c.optimizer.aux_lr, origin);
  field(o, "optimizer.", "clip", c.optimizer.clip, origin);
  require(c.optimizer.lr > 0 && c.optimizer.aux_lr > 0, origin, "keys \"optimizer.lr\" and \"optimizer.aux_lr\" must be > 0");
  require(c.optimizer.clip >= 0, origin, "key \"optimizer.clip\" must be >= 0");

  Json s = section(json, "schedule", {"type", "warmup", "step_size", "gamma", "min_lr", "patience", "factor"}, origin);
  field(s, "schedule.", "type", c.schedule.type, origin);
  field(s, "schedule.", "warmup", c.schedule.warmup, origin);
  field(s, "schedule.", "step_size", c.schedule.step_size, origin);
  field(s, "schedule.", "gamma", c.schedule.gamma, origin);
  field(s, "schedule.", "min_lr", c.schedule.min_lr, origin);
  field(s, "schedule.", "patience", c.schedule.patience, origin);
  field(s, "schedule.", "factor", c.schedule.factor, origin);
  const std::string& t = c.schedule.type;
  require(t == "constant" || t == "step" || t == "cosine" || t == "plateau", origin,
          fmt::format("key \"schedule.type\": unknown schedule \"{}\" (constant, step, cosine, plateau)", t));
  require(c.schedule.warmup >= 0 && c.schedule.step_size >= 1 && c.schedule.patience >= 0, origin,
          "keys \"schedule.warmup\", \"schedule.step_size\" and \"schedule.patience\" must be >= 0 (step_size >= 1)");
  require(c.schedule.gamma > 0 && c.schedule.factor > 0 && c.schedule.factor <= 1 && c.schedule.min_lr >= 0, origin,
          "keys \"schedule.gamma\" > 0, 0 < \"schedule.factor\" <= 1, \"schedule.min_lr\" >= 0");

  field(json, "", "steps", c.steps, origin);
  field(json, "", "seed", c.seed, origin);
  field(json, "", "device", c.device, origin);
  field(json, "", "eval_interval", c.eval_interval, origin);
  field(json, "", "checkpoint_interval", c.checkpoint_interval, origin);
  field(json, "", "log_interval", c.log_interval, origin);
  field(json, "", "checkpoint_dir", c.checkpoint_dir, origin);
  field(json, "", "half", c.half, origin);
  field(json, "", "bf16", c.bf16, origin);
  require(c.steps >= 1, origin, "key \"steps\" must be >= 1");
  require(c.eval_interval >= 0 && c.checkpoint_interval >= 0 && c.log_interval >= 1, origin,
          "keys \"eval_interval\", \"checkpoint_interval\" must be >= 0 and \"log_interval\" >= 1");
  if (c.loss.type == "ms-ssim")
    require(c.data.patch_size >= kMsSsimMinSide && c.data.val_patch_size >= kMsSsimMinSide, origin,
            "the ms-ssim loss needs \"data.patch_size\" and \"data.val_patch_size\" of at least 192");
  require(!c.checkpoint_dir.empty(), origin, "key \"checkpoint_dir\" must not be empty");
  require(c.device == "cpu" || c.device == "cuda" || c.device.rfind("cuda:", 0) == 0, origin,
          fmt::format("key \"device\": unknown device \"{}\" (cpu, cuda, cuda:N)", c.device));
  return c;
}

TrainConfig read_config(const std::string& path) { return parse_config(read_json_file(path), path); }

Json config_json(const TrainConfig& c) {
  const auto& m = c.model;
  const auto& d = c.data;
  const auto& s = c.schedule;
  return {{"model",
           {{"arch", m.arch}, {"quality", m.quality}, {"N", m.N}, {"M", m.M}, {"init", m.init},
            {"quantize", m.quantize}, {"rounding", m.rounding}}},
          {"data",
           {{"train", d.train}, {"val", d.val}, {"val_fraction", d.val_fraction}, {"val_images", d.val_images},
            {"val_patch_size", d.val_patch_size}, {"patch_size", d.patch_size}, {"batch_size", d.batch_size},
            {"loader_threads", d.loader_threads}, {"prefetch", d.prefetch}, {"flip", d.flip},
            {"min_scale", d.min_scale}, {"max_scale", d.max_scale}, {"cache", d.cache},
            {"cache_patches", d.cache_patches}}},
          {"loss", {{"type", c.loss.type}, {"lambda", c.loss.lambda}}},
          {"optimizer", {{"lr", c.optimizer.lr}, {"aux_lr", c.optimizer.aux_lr}, {"clip", c.optimizer.clip}}},
          {"schedule",
           {{"type", s.type}, {"warmup", s.warmup}, {"step_size", s.step_size}, {"gamma", s.gamma},
            {"min_lr", s.min_lr}, {"patience", s.patience}, {"factor", s.factor}}},
          {"steps", c.steps},
          {"seed", c.seed},
          {"device", c.device},
          {"eval_interval", c.eval_interval},
          {"checkpoint_interval", c.checkpoint_interval},
          {"log_interval", c.log_interval},
          {"checkpoint_dir", c.checkpoint_dir},
          {"half", c.half},
          {"bf16", c.bf16}};
}

void apply_setting(Json& config, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("--set '{}': expected KEY=VALUE (e.g. loss.lambda=0.013)", assignment));
  const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  const Json schema = config_json(TrainConfig());
  const size_t dot = key.find('.');
  const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
  const std::string name = dot == std::string::npos ? key : key.substr(dot + 1);
  const Json* type = nullptr;
  if (section.empty() && schema.contains(name) && !schema[name].is_object()) type = &schema[name];
  if (!section.empty() && schema.contains(section) && schema[section].is_object() && schema[section].contains(name))
    type = &schema[section][name];
  if (!type) throw UsageError(fmt::format("--set {}: no such configuration key (see tiny train --print-config)", key));
  auto fail = [&](const char* expected) {
    throw UsageError(fmt::format("--set {}: '{}' is not {}", key, text, expected));
  };
  Json value;
  if (type->is_boolean()) {
    if (text != "true" && text != "false") fail("true or false");
    value = text == "true";
  } else if (type->is_number_integer()) {
    size_t used = 0;
    try {
      value = type->is_number_unsigned() ? Json(std::stoull(text, &used)) : Json(std::stoll(text, &used));
    } catch (const std::exception&) {
      fail("a whole number in range");
    }
    if (used != text.size() || (type->is_number_unsigned() && text.find('-') != std::string::npos))
      fail("a whole number in range");
  } else if (type->is_number()) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(text, &used);
    } catch (const std::exception&) {
      fail("a number");
    }
    if (used != text.size() || !std::isfinite(v)) fail("a finite number");
    value = v;
  } else if (type->is_array()) {
    value = Json::array();
    for (size_t begin = 0; begin <= text.size();) {
      size_t end = std::min(text.find(',', begin), text.size());
      if (end > begin) value.push_back(text.substr(begin, end - begin));
      begin = end + 1;
    }
  } else {
    value = text;
  }
  if (section.empty()) {
    config[name] = value;
    return;
  }
  if (!config.contains(section)) config[section] = Json::object();
  if (!config[section].is_object()) throw UsageError(fmt::format("--set {}: \"{}\" is not an object", key, section));
  config[section][name] = value;
}

double effective_lambda(const TrainConfig& config) {
  if (config.loss.lambda > 0) return config.loss.lambda;
  if (config.loss.type == "ms-ssim") return ms_ssim_lambda(config.model.quality);
  return codec::zoo_config(config.model.arch, config.model.quality).lambda;
}

}  // namespace tiny::train
