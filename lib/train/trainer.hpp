#pragma once
// The training loop of `tiny train`: rate-distortion loss (lambda * 255^2 * MSE + bpp), Adam on the
// network and a second Adam on the entropy bottleneck's quantiles (auxiliary loss), the lr schedule,
// gradient clipping, periodic evaluation, checkpoints (`last.ckpt`, `best.ckpt`, atomically, every
// checkpoint_interval steps and on SIGINT/SIGTERM), a JSONL metrics log and, at the last step, the
// `.tmodel` export with update()d CDF tables.
#include "train/config.hpp"

#include <cstdint>
#include <string>

namespace tiny::train {

struct TrainOptions {
  bool resume = false;   // continue from <checkpoint_dir>/last.ckpt (or resume_from)
  std::string resume_from;
  int64_t max_steps = 0;  // stop (with a checkpoint) after this many steps of this run (0: no limit)
  std::string compact_checkpoint;  // also write a compact resume point here when the run stops
  bool trust_v1_checkpoint = false;  // read a version 1 resume checkpoint (libtorch's reader; trusted files only)
};

struct TrainResult {
  int64_t step = 0;          // steps done in total
  bool interrupted = false;  // stopped by SIGINT/SIGTERM (checkpoint written)
  bool finished = false;     // reached config.steps (rank 0 exported the model)
  double seconds = 0, data_wait_seconds = 0;
  size_t skipped_images = 0;
  std::string model_path;    // the exported .tmodel when finished
  int rank = 0, world_size = 1;
  std::string weights_hash;  // FNV-1a 64 of every parameter's bytes (equal on every rank)
};

// Runs (or resumes) training, data-parallel over the ranks of the launcher's environment
// (train/distributed.hpp) when WORLD_SIZE > 1: each rank decodes its share of every batch, gradients
// are averaged, only rank 0 writes checkpoints, logs and the model. Throws Error on bad data, a non-finite loss (the last good checkpoint
// is kept) or an unusable checkpoint.
TrainResult train(const TrainConfig& config, const TrainOptions& options);

// The checkpoint folder's files.
std::string last_checkpoint_path(const TrainConfig& config);
std::string best_checkpoint_path(const TrainConfig& config);
std::string metrics_log_path(const TrainConfig& config);
std::string exported_model_path(const TrainConfig& config);

}  // namespace tiny::train
