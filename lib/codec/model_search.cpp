#include "codec/model_search.hpp"

#include "codec/zoo.hpp"

#include "core/data_paths.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace tiny::codec {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> model_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("TINY_MODELS"); env && *env) dirs.emplace_back(env);
  dirs.emplace_back("models");
  if (!install_root().empty()) dirs.push_back(shipped_file("models"));
  return dirs;
}

std::string joined(const std::vector<fs::path>& dirs) {
  std::vector<std::string> names;
  for (const auto& d : dirs) names.push_back(d.string());
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string find_model(const std::string& spec) {
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) return spec;
  auto dirs = model_dirs();
  if (spec.find('/') == std::string::npos)
    for (const auto& d : dirs)
      for (const std::string& name : {spec, spec + ".tmodel"})
        if (fs::is_regular_file(d / name, ec)) return (d / name).string();
  throw Error(fmt::format("model '{}' not found (not a file, nor a name in {})", spec, joined(dirs)));
}

std::string shipped_model(const std::string& arch, int quality) {
  zoo_config(arch, quality);
  std::string name = rate_levels(arch) > 0 ? arch + ".tmodel" : fmt::format("{}-q{}.tmodel", arch, quality);
  std::error_code ec;
  auto dirs = model_dirs();
  for (const auto& d : dirs)
    if (fs::is_regular_file(d / name, ec)) return (d / name).string();
  throw Error(fmt::format("no trained model is shipped yet for {} quality {} (looked for {} in {}); give a model "
                          "file with -m, or --untrained for a random-initialised model (testing only)",
                          arch, quality, name, joined(dirs)));
}

std::vector<std::string> shipped_models(const std::string& arch) {
  std::vector<std::string> found;
  auto dirs = model_dirs();
  std::error_code ec;
  for (int quality = 1, last = max_quality(arch); quality <= last; ++quality) {
    std::string name = fmt::format("{}-q{}.tmodel", arch, quality);
    for (const auto& d : dirs)
      if (fs::is_regular_file(d / name, ec)) {
        found.push_back((d / name).string());
        break;
      }
  }
  return found;
}

}  // namespace tiny::codec
