#include "codec/zoo.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tiny::codec {
namespace {

constexpr double kLambdas[8] = {0.0018, 0.0035, 0.0067, 0.0130, 0.0250, 0.0483, 0.0932, 0.1800};

// Quality q (1-based) uses the small (N, M) below `switch_at` and the large one from there.
struct Family {
  const char* arch;
  int qualities, switch_at, small_n, small_m, large_n, large_m;
};

constexpr Family kFamilies[] = {
    {"bmshj2018-factorized", 8, 6, 128, 192, 192, 320},
    {"bmshj2018-hyperprior", 8, 6, 128, 192, 192, 320},
    {"mbt2018-mean", 8, 5, 128, 192, 192, 320},
    {"mbt2018-mean-vr", kVariableRateLevels, kVariableRateLevels + 1, 128, 192, 128, 192},
    {"mbt2018", 8, 5, 192, 192, 192, 320},
    {"cheng2020-anchor", 6, 4, 128, 128, 192, 192},
    {"cheng2020-attn", 6, 4, 128, 128, 192, 192},
};

const Family* find(const std::string& arch) {
  for (const auto& f : kFamilies)
    if (arch == f.arch) return &f;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& architectures() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFamilies) v.push_back(f.arch);
    return v;
  }();
  return names;
}

bool known_architecture(const std::string& arch) { return find(arch) != nullptr; }

int rate_levels(const std::string& arch) { return arch == "mbt2018-mean-vr" ? kVariableRateLevels : 0; }

double bitstream_quality(const std::string& arch, uint32_t stored) {
  return rate_levels(arch) > 0 ? stored / 1000.0 : double(stored);
}

double zoo_lambda(int quality) {
  if (quality < 1 || quality > 8) throw UsageError(fmt::format("quality {} has no zoo lambda (1..8)", quality));
  return kLambdas[quality - 1];
}

double ladder_lambda(double quality, double (*ladder)(int)) {
  if (!(quality >= 0 && quality <= 8)) throw UsageError(fmt::format("quality {} has no lambda (0..8)", quality));
  if (quality < 1) {
    const double step = ladder(1) / ladder(2), rung0 = ladder(1) * step * step;
    return std::exp((1 - quality) * std::log(rung0) + quality * std::log(ladder(1)));
  }
  const int lo = std::min(int(quality), 7);
  const double t = quality - lo;
  return std::exp((1 - t) * std::log(ladder(lo)) + t * std::log(ladder(lo + 1)));
}

int max_quality(const std::string& arch) {
  const Family* f = find(arch);
  if (!f) throw UsageError(fmt::format("unknown architecture '{}' (known: {})", arch, fmt::join(architectures(), ", ")));
  return f->qualities;
}

ArchConfig zoo_config(const std::string& arch, int quality) {
  const Family* f = find(arch);
  int top = max_quality(arch);
  if (quality < 1 || quality > top)
    throw UsageError(fmt::format("quality {} is out of range for {} (1..{})", quality, arch, top));
  bool large = quality >= f->switch_at;
  return {arch, quality, large ? f->large_n : f->small_n, large ? f->large_m : f->small_m, kLambdas[quality - 1]};
}

}  // namespace tiny::codec
