#include "convert/convert.hpp"

#include "convert/checkpoint.hpp"
#include "convert/low_rank.hpp"
#include "convert/model_convert.hpp"
#include "convert/rate_fold.hpp"
#include "convert/safetensors.hpp"
#include "codec/model_file.hpp"
#include "codec/quantize.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <filesystem>

namespace tiny::convert {
namespace {

const char* kFormats[] = {"tmodel", "compressai", "safetensors"};

// The tiny header fields kept in a safetensors file's __metadata__.
std::map<std::string, std::string> tiny_metadata(const codec::ModelFile& m) {
  return {{"format", "pt"},
          {"tiny.arch", m.arch},
          {"tiny.quality", std::to_string(m.quality)},
          {"tiny.N", std::to_string(m.N)},
          {"tiny.M", std::to_string(m.M)},
          {"tiny.metric", m.metric},
          {"tiny.lambda", fmt::format("{}", m.lambda)}};
}

std::string metadata_value(const SafeTensors& st, const std::string& key) {
  auto it = st.metadata.find(key);
  return it == st.metadata.end() ? std::string() : it->second;
}

// The quality in a CompressAI zoo file name "<arch>-<quality>-<hash>.pth.tar", else 0.
int zoo_file_quality(const std::string& path) {
  std::string file = std::filesystem::path(path).filename().string();
  for (const auto& arch : codec::architectures()) {
    size_t n = arch.size();
    if (file.size() >= n + 2 && file.compare(0, n, arch) == 0 && file[n] == '-' && file[n + 1] >= '1' &&
        file[n + 1] <= '8' && (file.size() == n + 2 || !std::isdigit(static_cast<unsigned char>(file[n + 2]))))
      return file[n + 1] - '0' <= codec::max_quality(arch) ? file[n + 1] - '0' : 0;
  }
  return 0;
}

codec::ModelFile load_any(const ConvertOptions& o, Format from) {
  if (from == Format::tmodel) return codec::read_model_file(o.input);
  ImportOptions import;
  import.arch = o.arch;
  import.quality = o.quality;
  import.provenance = {{"imported_from", format_name(from)},
                       {"source_file", std::filesystem::path(o.input).filename().string()}};
  if (import.quality == 0) import.quality = zoo_file_quality(o.input);
  if (from == Format::compressai) return import_state_dict(read_torch_checkpoint(o.input), import, o.input);
  SafeTensors st = read_safetensors(o.input);
  if (import.arch.empty()) import.arch = metadata_value(st, "tiny.arch");
  std::string q = metadata_value(st, "tiny.quality");
  if (import.quality == 0 && !q.empty()) {
    try {
      import.quality = std::stoi(q);
    } catch (const std::exception&) {
      throw Error(file_error(o.input, fmt::format("metadata tiny.quality '{}' is not a number", q)));
    }
  }
  codec::ModelFile m = import_state_dict(st.tensors, import, o.input);
  std::string metric = metadata_value(st, "tiny.metric");
  if (!metric.empty()) m.metric = metric;
  return m;
}

}  // namespace

Format parse_format(const std::string& name) {
  for (int i = 0; i < 3; ++i)
    if (name == kFormats[i]) return Format(i);
  throw UsageError(fmt::format("unknown model format '{}' (tmodel, compressai, safetensors)", name));
}

const char* format_name(Format f) { return kFormats[int(f)]; }

Format detect_format(const std::string& path) {
  if (codec::is_model_file(path)) return Format::tmodel;
  if (is_zip_file(path)) return Format::compressai;
  Bytes head = read_file(path);
  if (head.size() >= 9 && head[8] == '{') return Format::safetensors;
  throw Error(file_error(path, "not a .tmodel, torch zip checkpoint or safetensors file"));
}

nlohmann::json convert_file(const ConvertOptions& o) {
  check_can_write(o.output, o.overwrite);
  const codec::Quantization quantization = codec::parse_quantization(o.quantize);
  if (quantization != codec::Quantization::none && o.to != Format::tmodel)
    throw UsageError("quantized weights are stored in .tmodel files only (--to tmodel)");
  Format from = o.from.empty() ? detect_format(o.input) : parse_format(o.from);
  codec::ModelFile model = load_any(o, from);
  if (o.at_quality >= 0) model = fold_rate(model, o.at_quality, o.input);
  nlohmann::json low_rank;
  codec::QuantizeCount quantized;
  if (o.half && o.float32) throw UsageError("--half and --float32 exclude each other");
  if (o.to == Format::tmodel && (o.half || o.float32)) set_weight_precision(model, o.half);
  if (o.low_rank_energy > 0.0 || o.low_rank_saving > 0.0) {
    LowRankTarget target{o.low_rank_energy, o.low_rank_saving};
    if (!o.low_rank_layers.empty()) target.layers = o.low_rank_layers;
    low_rank = low_rank_json(low_rank_model(model, target, {}), target);
    model.provenance["low_rank"] = {{"energy", target.energy}, {"saving", target.saving}, {"layers", target.layers},
                                    {"params_saved", low_rank["params_saved"]}};
  }
  Bytes out;
  if (o.to == Format::tmodel) {
    quantized = codec::quantize_model(model, quantization);
    if (quantized.converted) model.provenance["quantized"] = o.quantize;
    out = codec::serialize_model(model);
  } else {
    std::vector<codec::TensorRecord> sd = export_state_dict(model);
    out = o.to == Format::compressai ? torch_checkpoint_bytes(sd) : safetensors_bytes({sd, tiny_metadata(model)});
  }
  write_file_atomic(o.output, out, o.overwrite);
  int64_t params = 0;
  for (const auto& t : model.tensors)
    if (t.dtype != codec::DType::i32) params += int64_t(codec::element_count(t.shape));
  nlohmann::json report = {{"input", o.input},         {"output", o.output},
          {"from", format_name(from)}, {"to", format_name(o.to)},
          {"arch", model.arch},        {"quality", model.quality},
          {"N", model.N},              {"M", model.M},
          {"tensors", model.tensors.size()}, {"float_values", params},
          {"bytes_in", std::filesystem::file_size(o.input)}, {"bytes_out", out.size()}};
  if (!low_rank.is_null()) report["low_rank"] = low_rank;
  if (quantization != codec::Quantization::none)
    report["quantized"] = {{"type", o.quantize},
                           {"tensors", quantized.converted},
                           {"requantized", quantized.requantized},
                           {"unchanged", quantized.unchanged}};
  return report;
}

}  // namespace tiny::convert
