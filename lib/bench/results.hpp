#pragma once
// Rate–distortion curves in CompressAI's results JSON layout:
//   {"name": ..., "description": ..., "results": {"bpp": [...], "psnr-rgb": [...], "ms-ssim": [...],
//    "encoding_time": [...], "decoding_time": [...]}}
// bpp and psnr-rgb are required; the other arrays may be absent (published tables often lack them)
// and, when present, have one entry per point.
#include "core/json_file.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct Curve {
  std::string name, description;
  std::vector<double> bpp, psnr, ms_ssim, encoding_time, decoding_time;  // one entry per point
  bool published = false;  // read from a results file (published numbers, --compare), not measured in this run
};

// The curve in CompressAI's layout (absent arrays left out).
Json curve_to_json(const Curve& curve);
// Parses CompressAI's layout; throws UsageError naming `origin` and the key on bad content.
Curve curve_from_json(const Json& json, const std::string& origin);
// Reads a CompressAI results file (the curve is marked published: numbers not measured in this run).
Curve read_curve_file(const std::string& path);
// Reads every *.json curve in a folder, sorted by file name (the published curves in configs/bench).
std::vector<Curve> read_curve_folder(const std::string& folder);
// MS-SSIM in dB for each point (-10·log10(1 - v)).
std::vector<double> ms_ssim_db(const Curve& curve);

}  // namespace tiny::bench
