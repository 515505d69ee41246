#pragma once
// CompressAI itself beside tiny: a model's weights exported as a CompressAI checkpoint and coded by
// CompressAI's compress/decompress (scripts/compressai_codec_bench.py) under a Python interpreter
// that can import torch and CompressAI.
#include "codec/model_file.hpp"
#include "image/image.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace tiny::bench {

struct CompressAIRun {
  std::string python;  // the interpreter (default_python())
  std::string script;  // scripts/compressai_codec_bench.py
  int threads = 1;     // torch threads
  int repeats = 3;     // runs per measurement after a warm-up (the fastest counts)
};

// $TINY_PYTHON if set, else /usr/bin/python3 if it exists, else python3 from PATH.
std::string default_python();
// Why the interpreter cannot run CompressAI (one line, from the script's import test), or empty if it can.
std::string compressai_unavailable(const CompressAIRun& run);
// CompressAI's encode and decode of `image` with the model's weights, as the script's JSON object (encode_s,
// encode_cpu_s, decode_s, decode_cpu_s, bytes, bpp, psnr, compressai_version, …); throws Error with the
// script's last line on stderr if it fails.
nlohmann::json run_compressai_codec(const codec::ModelFile& model, const image::Image& image, const CompressAIRun& run);

}  // namespace tiny::bench
