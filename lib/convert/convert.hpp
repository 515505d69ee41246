#pragma once
// `tiny convert`: a model between the .tmodel, CompressAI checkpoint and safetensors formats. No torch here.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny::convert {

enum class Format { tmodel, compressai, safetensors };

// Parses "tmodel", "compressai" or "safetensors"; throws tiny::UsageError otherwise.
Format parse_format(const std::string& name);
// The format's name.
const char* format_name(Format f);
// The format of an existing file from its first bytes (zip: compressai; .tmodel magic: tmodel;
// else safetensors if its header parses); throws tiny::Error if none fits.
Format detect_format(const std::string& path);

struct ConvertOptions {
  std::string input, output;
  std::string from;  // empty: detected
  Format to = Format::tmodel;
  std::string arch;  // empty: inferred (imports)
  int quality = 0;   // 0: inferred (imports)
  double at_quality = -1;  // >= 0: a variable-rate model at this quality, as an ordinary mbt2018-mean
  bool half = false;     // .tmodel output: float16 weights
  bool float32 = false;  // .tmodel output: float32 weights (e.g. of a float16 model)
  double low_rank_energy = 0.0;  // > 0: factor transform weights keeping this energy (low_rank.hpp)
  double low_rank_saving = 0.0;  // > 0: factor transform weights saving this share of their parameters
  std::vector<std::string> low_rank_layers;  // name prefixes factored (empty: every transform)
  std::string quantize = "none";  // .tmodel output: "int8" or "q4" transform weights (codec/quantize.hpp)
  bool overwrite = false;
};

// Converts one model file; returns a report (formats, arch, sizes, tensor and parameter counts, bytes in and
// out, the per-layer low-rank report under "low_rank", and with quantize under "quantized" the layout and the
// counts of tensors converted, requantized (of those, the ones quantized before) and unchanged).
nlohmann::json convert_file(const ConvertOptions& options);

}  // namespace tiny::convert
