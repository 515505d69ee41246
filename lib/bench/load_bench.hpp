#pragma once
// `tiny bench load`: images/s of tiny's fused pipeline against a plain OpenCV path and Pillow +
// torchvision-style Python, on the same JPEG files, all to a 224x224 center crop of a 256 resize,
// float32 CHW imagenet-normalized.
#include <nlohmann/json.hpp>

#include <string>

namespace tiny::bench {

struct LoadBenchOptions {
  bool quick = false;
  std::string photos;         // folder searched (recursively) for source JPEG photos
  std::string python_script;  // the Pillow baseline script (scripts/bench_load_pil.py)
  std::string python = "/usr/bin/python3";
};

// Runs the benchmark and returns one result object per (image set, method) with images_per_s
// and the ratio of tiny's rate to it; progress lines go to the log.
nlohmann::json run_load_bench(const LoadBenchOptions& options);

}  // namespace tiny::bench
