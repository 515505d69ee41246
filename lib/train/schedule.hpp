#pragma once
// The learning-rate schedule: linear warm-up, then constant, step decay, cosine decay to min_lr, or
// reduce-on-plateau driven by the validation loss.
#include "core/json_file.hpp"
#include "train/config.hpp"

#include <cstdint>

namespace tiny::train {

class LrSchedule {
public:
  LrSchedule(const ScheduleSection& section, double base_lr, int64_t total_steps);
  // The learning rate of step `step` (0-based).
  double lr(int64_t step) const;
  // Feeds one validation loss (plateau: scales the rate by `factor` after `patience` evaluations
  // without improvement).
  void observe(double val_loss);
  // The mutable state, for checkpoints.
  Json state() const;
  // Restores a state() value; throws Error on a malformed one.
  void load_state(const Json& state);

private:
  ScheduleSection s_;
  double base_;
  int64_t total_;
  double scale_ = 1.0, best_ = 0;
  bool has_best_ = false;
  int bad_ = 0;
};

}  // namespace tiny::train
