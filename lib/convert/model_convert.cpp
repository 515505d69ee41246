#include "convert/model_convert.hpp"

#include "codec/model.hpp"
#include "codec/model_io.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>

namespace tiny::convert {
namespace {

using codec::TensorRecord;

// CompressAI's GaussianConditional keeps its scale bound twice (`scale_bound` and
// `lower_bound_scale.bound`); tiny keeps the second only.
constexpr const char* kScaleBound = "gaussian_conditional.scale_bound";
constexpr const char* kLowerBoundScale = "gaussian_conditional.lower_bound_scale.bound";

// Gives a density of 3 hidden layers (tiny's first models) CompressAI's 4 by inserting an identity
// layer before the output layer: softplus(matrix) = I (diagonal log(e − 1), off-diagonal −10⁴, whose
// softplus is 0 in float32), zero bias and zero factor (tanh(0) = 0 adds nothing).
void widen_density(std::vector<TensorRecord>& tensors) {
  int64_t channels = 0;
  for (auto& t : tensors) {
    if (t.name == "entropy_bottleneck._matrix3") t.name = "entropy_bottleneck._matrix4", channels = t.shape[0];
    else if (t.name == "entropy_bottleneck._bias3") t.name = "entropy_bottleneck._bias4";
  }
  torch::Tensor identity = torch::full({3, 3}, -1e4f);
  identity.fill_diagonal_(std::log(std::expm1(1.0)));
  tensors.push_back(codec::tensor_to_record("entropy_bottleneck._matrix3", identity.repeat({channels, 1, 1}), false));
  tensors.push_back(codec::tensor_to_record("entropy_bottleneck._bias3", torch::zeros({channels, 3, 1}), false));
  tensors.push_back(codec::tensor_to_record("entropy_bottleneck._factor3", torch::zeros({channels, 3, 1}), false));
}

// The name tiny gives a CompressAI tensor. Across CompressAI's releases: the density's parameters
// were `entropy_bottleneck._matrixN` (`_biasN`, `_factorN`; tiny's names), then ParameterLists
// `entropy_bottleneck._matrices.N`, now `entropy_bottleneck.matrices.N` (`biases`, `factors`); and
// cheng2020's strided residual blocks named their 1x1 shortcut `downsample` before `skip` (tiny's).
std::string tiny_name(const std::string& name) {
  static const std::pair<std::string, std::string> kLists[] = {
      {"entropy_bottleneck.matrices.", "entropy_bottleneck._matrix"},
      {"entropy_bottleneck.biases.", "entropy_bottleneck._bias"},
      {"entropy_bottleneck.factors.", "entropy_bottleneck._factor"},
      {"entropy_bottleneck._matrices.", "entropy_bottleneck._matrix"},
      {"entropy_bottleneck._biases.", "entropy_bottleneck._bias"},
      {"entropy_bottleneck._factors.", "entropy_bottleneck._factor"}};
  for (const auto& [list, older] : kLists) {
    if (name.rfind(list, 0) != 0) continue;
    const std::string index = name.substr(list.size());
    if (!index.empty() && std::all_of(index.begin(), index.end(), [](unsigned char c) { return std::isdigit(c); }))
      return older + index;
  }
  if (const size_t at = name.find(".downsample."); at != std::string::npos)
    return name.substr(0, at) + ".skip." + name.substr(at + std::string(".downsample.").size());
  return name;
}

std::string shape_text(c10::IntArrayRef s) { return s.empty() ? "scalar" : fmt::format("{}", fmt::join(s, "x")); }

// Checks that the state_dict's names fit the architecture; returns the first problem, if any.
std::optional<std::string> name_mismatch(codec::CompressionModel& model, const std::map<std::string, const TensorRecord*>& sd) {
  std::map<std::string, bool> known;
  for (const auto& p : model.named_parameters(true)) {
    if (!sd.count(p.key())) return fmt::format("lacks tensor '{}'", p.key());
    known[p.key()] = true;
  }
  for (const auto& b : model.named_buffers(true)) known[b.key()] = true;
  for (const auto& [n, r] : sd)
    if (!known.count(n)) return fmt::format("has tensor '{}' that {} does not have", n, model.config.arch);
  return std::nullopt;
}

// The first and last parameter of g_a give N (its first output channels) and M (the latent channels).
std::pair<int, int> infer_sizes(codec::CompressionModel& model, const std::map<std::string, const TensorRecord*>& sd) {
  auto params = model.g_a->named_parameters(true);
  const TensorRecord& first = *sd.at("g_a." + params[0].key());
  const TensorRecord& last = *sd.at("g_a." + params[params.size() - 1].key());
  return {first.shape.empty() ? 0 : int(first.shape[0]), last.shape.empty() ? 0 : int(last.shape[0])};
}

// Copies the state_dict into the model (buffers it lacks keep their defaults); returns the first shape problem.
std::optional<std::string> copy_into(codec::CompressionModel& model, const std::map<std::string, const TensorRecord*>& sd) {
  torch::NoGradGuard no_grad;
  auto copy = [&](const std::string& key, torch::Tensor& dst) -> std::optional<std::string> {
    auto it = sd.find(key);
    if (it == sd.end()) return std::nullopt;
    torch::Tensor src = codec::record_to_tensor(*it->second);
    if (src.sizes() != dst.sizes())
      return fmt::format("has tensor '{}' of shape {}, {} N={} M={} needs {}", key, shape_text(src.sizes()),
                         model.config.arch, model.config.N, model.config.M, shape_text(dst.sizes()));
    dst.copy_(src.to(dst.scalar_type()));
    return std::nullopt;
  };
  for (auto& p : model.named_parameters(true))
    if (auto e = copy(p.key(), p.value())) return e;
  for (auto& b : model.named_buffers(true))
    if (auto e = copy(b.key(), b.value())) return e;
  return std::nullopt;
}

}  // namespace

codec::ModelFile import_state_dict(const std::vector<TensorRecord>& given, const ImportOptions& options,
                                   const std::string& name) {
  std::vector<TensorRecord> renamed;
  const bool current_names =
      std::any_of(given.begin(), given.end(), [](const TensorRecord& r) { return tiny_name(r.name) != r.name; });
  if (current_names) {
    renamed = given;
    for (auto& r : renamed) r.name = tiny_name(r.name);
  }
  const std::vector<TensorRecord>& tensors = current_names ? renamed : given;
  std::map<std::string, const TensorRecord*> sd;
  // Tables are rebuilt; empty buffers are those of a CompressAI model saved before its update().
  for (const auto& r : tensors)
    if (!codec::is_table_buffer(r.name) && r.name != kScaleBound && codec::element_count(r.shape) > 0 &&
        !sd.emplace(r.name, &r).second)
      throw Error(file_error(name, fmt::format("tensor '{}' appears twice", r.name)));
  if (!options.arch.empty() && !codec::known_architecture(options.arch))
    throw UsageError(fmt::format("unknown architecture '{}' (known: {})", options.arch, fmt::join(codec::architectures(), ", ")));
  std::vector<std::string> candidates = options.arch.empty() ? codec::architectures() : std::vector{options.arch};
  std::string name_problem, shape_problem;
  for (const auto& arch : candidates) {
    codec::ArchConfig probe_config = codec::zoo_config(arch, 1);
    probe_config.entropy_layers = codec::entropy_layers_of(tensors);
    auto probe = codec::make_model(probe_config);
    auto problem = name_mismatch(*probe, sd);
    const bool name_mismatch_found = problem.has_value();
    if (!problem) {
      auto [n, m] = infer_sizes(*probe, sd);
      if (n <= 0 || m <= 0 || n > 4096 || m > 4096) {
        problem = fmt::format("has bad sizes N={} M={}", n, m);
      } else {
        int quality = options.quality;
        if (quality == 0) {
          std::vector<int> fits;
          for (int q = 1; q <= codec::max_quality(arch); ++q) {
            codec::ArchConfig z = codec::zoo_config(arch, q);
            if (z.N == n && z.M == m) fits.push_back(q);
          }
          if (fits.size() != 1)
            throw UsageError(file_error(name, fmt::format("{} with N={} M={} fits {} zoo qualities ({}); pass --quality", arch,
                                                          n, m, fits.size(), fmt::join(fits, ", "))));
          quality = fits[0];
        }
        codec::ArchConfig config = codec::zoo_config(arch, quality);
        config.N = n, config.M = m;
        config.entropy_layers = probe_config.entropy_layers;
        auto model = codec::make_model(config);
        problem = copy_into(*model, sd);
        if (!problem) {
          model->update();
          codec::ModelFile file;
          file.arch = arch, file.quality = quality, file.N = n, file.M = m, file.lambda = config.lambda;
          file.provenance = options.provenance;
          file.tensors = codec::model_tensors(*model, false);
          return file;
        }
      }
    }
    std::string& slot = name_mismatch_found ? name_problem : shape_problem;
    if (slot.empty()) slot = fmt::format("{} {}", arch, *problem);
  }
  const std::string& problem = shape_problem.empty() ? name_problem : shape_problem;
  if (!options.arch.empty()) throw Error(file_error(name, "state_dict does not fit " + problem));
  throw Error(file_error(name, fmt::format("cannot infer the architecture: no zoo architecture fits the state_dict "
                                           "(closest: {}); known: {}", problem, fmt::join(codec::architectures(), ", "))));
}

void set_weight_precision(codec::ModelFile& file, bool half) {
  auto model = codec::make_model(codec::arch_config(file));
  codec::load_tensors(*model, file.tensors, file.arch);
  file.tensors = codec::model_tensors(*model, half);
}

std::vector<TensorRecord> export_state_dict(const codec::ModelFile& file) {
  codec::ModelFile copy = file;
  set_weight_precision(copy, false);
  if (codec::entropy_layers_of(copy.tensors) == 3) widen_density(copy.tensors);
  for (const auto& t : copy.tensors)
    if (t.name == kLowerBoundScale) {
      TensorRecord bound = t;
      bound.name = kScaleBound;
      copy.tensors.push_back(bound);
      break;
    }
  return copy.tensors;
}

}  // namespace tiny::convert
