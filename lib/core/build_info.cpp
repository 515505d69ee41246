#include "core/build_info.hpp"

#include "core/build_config.hpp"

#include <sstream>

namespace tiny {

BuildInfo build_info() {
  BuildInfo info{TINY_VERSION, TINY_GIT_HASH, TINY_BUILD_TYPE, {}};
  std::istringstream in(TINY_FEATURES);
  for (std::string f; in >> f;) info.features.push_back(f);
  return info;
}

}  // namespace tiny
