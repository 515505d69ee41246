#include "train/schedule.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::train {

LrSchedule::LrSchedule(const ScheduleSection& section, double base_lr, int64_t total_steps)
    : s_(section), base_(base_lr), total_(std::max<int64_t>(1, total_steps)) {}

double LrSchedule::lr(int64_t step) const {
  double lr = base_;
  if (s_.type == "step") {
    lr *= std::pow(s_.gamma, double(step / s_.step_size));
  } else if (s_.type == "cosine") {
    const int64_t span = std::max<int64_t>(1, total_ - s_.warmup);
    const double t = std::clamp(double(step - s_.warmup) / double(span), 0.0, 1.0);
    lr = s_.min_lr + (base_ - s_.min_lr) * 0.5 * (1.0 + std::cos(M_PI * t));
  } else if (s_.type == "plateau") {
    lr *= scale_;
  }
  if (step < s_.warmup) lr *= double(step + 1) / double(s_.warmup);
  return lr;
}

void LrSchedule::observe(double val_loss) {
  if (s_.type != "plateau") return;
  if (!has_best_ || val_loss < best_) {
    best_ = val_loss;
    has_best_ = true;
    bad_ = 0;
  } else if (++bad_ > s_.patience) {
    scale_ *= s_.factor;
    bad_ = 0;
  }
}

Json LrSchedule::state() const {
  return {{"scale", scale_}, {"best", best_}, {"has_best", has_best_}, {"bad", bad_}};
}

void LrSchedule::load_state(const Json& state) {
  try {
    scale_ = state.at("scale").get<double>();
    best_ = state.at("best").get<double>();
    has_best_ = state.at("has_best").get<bool>();
    bad_ = state.at("bad").get<int>();
  } catch (const Json::exception& e) {
    throw Error(std::string("malformed schedule state: ") + e.what());
  }
}

}  // namespace tiny::train
