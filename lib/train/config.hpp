#pragma once
// The training configuration (`tiny train --config FILE`): a JSON object with the nested sections
// model, data, loss, optimizer, schedule and the run settings. Every key is checked; unknown keys
// and values of the wrong type or range are UsageErrors naming the file and the key.
#include "core/json_file.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tiny::train {

struct ModelSection {
  std::string arch;
  int quality = 3;
  int N = 0, M = 0;  // 0: the zoo's value for the quality
  std::string init;  // a .tmodel (path or model name) whose matching tensors start the training
  std::string quantize = "none";  // none, int8, q4: train the transforms' weights quantized (straight-through)
  std::string rounding = "noise";  // noise, mixed: g_s sees y rounded (straight-through) while the rate uses noise
};

struct DataSection {
  std::vector<std::string> train, val;  // folders (recursive), .txt lists, .jsonl manifests, files
  double val_fraction = 0.05;           // held out of `train` when `val` is empty
  int val_images = 16;                  // at most this many validation images (centre crops)
  int val_patch_size = 256;
  int patch_size = 256, batch_size = 8;
  int loader_threads = 2, prefetch = 4;  // decoding threads, batches decoded ahead
  bool flip = true;                      // random horizontal flips
  double min_scale = 0.5, max_scale = 1.0;  // random downscale of the source before cropping
  bool cache = false;          // decode each image once into an in-memory patch cache
  int cache_patches = 16;      // patches cut from each image into the cache
};

struct LossSection {
  std::string type = "mse";
  double lambda = 0;  // 0: CompressAI's lambda of the quality
};

struct OptimizerSection {
  double lr = 1e-4, aux_lr = 1e-3;
  double clip = 1.0;  // max gradient norm of the network (0: off)
};

struct ScheduleSection {
  std::string type = "constant";  // constant, step, cosine, plateau
  int64_t warmup = 0;             // linear warm-up steps
  int64_t step_size = 1000;       // step: multiply by gamma every step_size steps
  double gamma = 0.1;
  double min_lr = 0;              // cosine: final lr
  int patience = 5;               // plateau: evaluations without improvement before lr *= factor
  double factor = 0.5;
};

struct TrainConfig {
  std::string origin;  // the file it came from (for messages)
  Json json;           // the configuration as given (kept in checkpoints and the exported model)
  ModelSection model;
  DataSection data;
  LossSection loss;
  OptimizerSection optimizer;
  ScheduleSection schedule;
  int64_t steps = 1000;
  uint64_t seed = 0;
  std::string device = "cpu";  // cpu, cuda, cuda:N
  int64_t eval_interval = 100, checkpoint_interval = 100, log_interval = 1;
  std::string checkpoint_dir = "runs/train";
  bool half = false;  // export the .tmodel with float16 weights
  bool bf16 = false;  // forward passes of training steps under bfloat16 autocast (CPU: oneDNN's bf16 kernels)
};

// Parses and validates a configuration object; `origin` names it in errors.
TrainConfig parse_config(const Json& json, const std::string& origin);
// Reads and validates a configuration file.
TrainConfig read_config(const std::string& path);
// Every key of a configuration with its effective value, defaults filled in (`tiny train --print-config`):
// parse_config reads it back to the same configuration.
Json config_json(const TrainConfig& config);
// Applies "key=value" (`tiny train --set`, e.g. "loss.lambda=0.013") to a configuration object. The key
// must be one config_json has; the value is read as that key's type: text, whole number, number,
// true/false, or a comma-separated list for lists. Throws UsageError naming the key.
void apply_setting(Json& config, const std::string& assignment);
// The lambda the loss uses (the configured one, else the zoo's for the quality).
double effective_lambda(const TrainConfig& config);

}  // namespace tiny::train
