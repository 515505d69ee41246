#include "codec_cli.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::cli {

const codec::Codec& ModelCache::get(const ModelChoice& c, const std::string& arch_default, double quality_default) {
  const ChosenModel m = choose_model(c, arch_default, quality_default);
  auto it = loaded_.find(m.key);
  if (it != loaded_.end()) return *it->second;
  auto codec = std::make_unique<codec::Codec>(c.untrained && c.model.empty()
                                                  ? codec::Codec::untrained(codec::zoo_config(m.arch, m.level), 0)
                                                  : codec::Codec::from_file(m.key));
  codec->set_exact_reconstruction(c.exact);
  check_fixed_rate_quality(c, m.key, codec->info().arch, codec->info().quality);
  if (codec::rate_levels(codec->info().arch) > 0) codec->set_quality(m.quality);
  return *loaded_.emplace(m.key, std::move(codec)).first->second;
}

std::vector<const codec::Codec*> ModelCache::ladder(const ModelChoice& c, const std::string& arch_default) {
  const std::string arch = c.arch.empty() ? arch_default : c.arch;
  if (!c.model.empty() || codec::rate_levels(arch) > 0) {
    const codec::Codec& chosen = get(c, arch, c.quality_given() ? c.quality : 3);
    if (codec::rate_levels(chosen.info().arch) == 0)
      throw UsageError(fmt::format("{}: a fixed-rate model ({} quality {}) has no other quality to search: give a "
                                   "variable-rate model, or --arch to search the shipped levels of an architecture",
                                   c.model, chosen.info().arch, chosen.info().quality));
    return {&chosen};
  }
  std::vector<const codec::Codec*> codecs;
  ModelChoice level = c;
  level.quality = -1;  // each model at its own level
  if (c.untrained) {
    for (int q = 1; q <= codec::max_quality(arch); ++q) codecs.push_back(&get(level, arch, q));
    return codecs;
  }
  level.arch.clear();
  for (const std::string& path : codec::shipped_models(arch)) {
    level.model = path;
    codecs.push_back(&get(level, arch, 0));
  }
  if (codecs.empty()) codec::shipped_model(arch, 1);  // throws: none is shipped, saying where it looked
  return codecs;
}

}  // namespace tiny::cli
