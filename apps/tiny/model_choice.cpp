#include "model_choice.hpp"

#include "codec/model_search.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::cli {

void add_model_options(CLI::App* sub, ModelChoice& c) {
  sub->add_option("-m,--model", c.model, "Model file (.tmodel), or a model name in models/");
  sub->add_option("--arch", c.arch, "Architecture of the shipped model (compress default: mbt2018-mean)");
  sub->add_option("--quality", c.quality,
                  "Quality: picks the shipped model of that level (1..8, cheng2020 1..6; compress default: 3), or "
                  "any real value in a variable-rate model's range (e.g. 2.7; mbt2018-mean-vr: 0..6)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--untrained", c.untrained,
                "With --arch/--quality: use a random-initialised model (seed 0), for testing only");
  sub->add_flag("--exact", c.exact,
                "Reconstruct with the fixed-order synthesis: the same pixels on every machine, a few times slower");
}

ChosenModel choose_model(const ModelChoice& c, const std::string& arch_default, double quality_default) {
  if (!c.model.empty() && (!c.arch.empty() || c.untrained))
    throw UsageError("give either -m/--model or --arch/--untrained, not both");
  ChosenModel m;
  m.arch = c.arch.empty() ? arch_default : c.arch;
  m.quality = c.quality_given() ? c.quality : quality_default;
  const bool variable = c.model.empty() && codec::rate_levels(m.arch) > 0;
  if (c.model.empty() && !variable && double(int(m.quality)) != m.quality)
    throw UsageError(fmt::format("--quality {}: {} models come in whole quality levels", m.quality, m.arch));
  m.level = variable ? codec::rate_levels(m.arch) : int(m.quality);
  if (!c.model.empty()) {
    m.key = codec::find_model(c.model);
  } else if (c.untrained) {
    codec::zoo_config(m.arch, m.level);
    m.key = fmt::format("untrained:{}:{}", m.arch, variable ? 0 : m.level);
  } else {
    m.key = codec::shipped_model(m.arch, m.level);
  }
  return m;
}

ChosenModel choose_model_for_bitstream(const ModelChoice& c, const std::string& arch, double quality,
                                       const std::string& name) {
  try {
    return choose_model(c, arch, quality);
  } catch (const UsageError& e) {
    if (!c.model.empty() || !c.arch.empty()) throw;
    throw Error(file_error(name, fmt::format("the bitstream names a model tiny does not have: {}", e.what())));
  }
}

void check_fixed_rate_quality(const ModelChoice& c, const std::string& key, const std::string& arch, int quality) {
  if (codec::rate_levels(arch) == 0 && !c.model.empty() && c.quality_given())
    throw UsageError(fmt::format("{}: a fixed-rate model ({} quality {}); --quality chooses among the shipped models "
                                 "or sets a variable-rate model's quality",
                                 key, arch, quality));
}

}  // namespace tiny::cli
