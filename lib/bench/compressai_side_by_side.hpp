#pragma once
// CompressAI itself beside tiny, under a Python interpreter that can import it: a model's weights
// exported as a CompressAI checkpoint and coded by CompressAI's compress/decompress
// (scripts/compressai_codec_bench.py), and CompressAI's rANS coder on tiny's symbols and tables
// (scripts/compressai_rans_bench.py).
#include "codec/model_file.hpp"
#include "entropy/cdf.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tiny::bench {

struct CompressAIRun {
  std::string python;  // the interpreter (default_python())
  std::string script;  // one of the scripts above
  int threads = 1;     // torch threads
  int repeats = 3;     // runs per measurement after a warm-up (the fastest counts)
};

// $TINY_PYTHON if set, else /usr/bin/python3 if it exists, else python3 from PATH.
std::string default_python();
// Why the interpreter cannot run CompressAI (one line, from the script's import test), or empty if it can.
std::string compressai_unavailable(const CompressAIRun& run);
// The run of a bench with the shipped `script` on tiny's thread count, or nothing when `mode` is "off" or
// the interpreter cannot run it; `status` gets mode, python, measured and the reason it was skipped.
std::optional<CompressAIRun> compressai_side_by_side(const std::string& mode, const std::string& python,
                                                     const std::string& script, int repeats, nlohmann::json& status);
// CompressAI's encode and decode of `image` with the model's weights, as the script's JSON object (encode_s,
// encode_cpu_s, decode_s, decode_cpu_s, bytes, bpp, psnr, compressai_version, …); throws Error with the
// script's last line on stderr if it fails.
nlohmann::json run_compressai_codec(const codec::ModelFile& model, const image::Image& image, const CompressAIRun& run);
// CompressAI's encode_with_indexes and decode_with_indexes of `symbols` (table indexes[i] for symbol i)
// with the same tables, as the script's JSON object (encode_s, encode_cpu_s, decode_s, decode_cpu_s, bytes,
// compressai_version); throws Error with the script's last line on stderr if it fails or mismatches.
nlohmann::json run_compressai_rans(const std::vector<entropy::QuantizedCdf>& cdfs, const std::vector<int32_t>& symbols,
                                   const std::vector<int32_t>& indexes, const CompressAIRun& run);

}  // namespace tiny::bench
