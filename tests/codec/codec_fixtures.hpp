#pragma once
// Small configurations of every architecture, so the tests run in seconds.
#include "codec/zoo.hpp"

#include <vector>

namespace tiny::test {

inline std::vector<codec::ArchConfig> small_configs() {
  std::vector<codec::ArchConfig> v;
  for (const auto& arch : codec::architectures()) {
    codec::ArchConfig c = codec::zoo_config(arch, 1);
    bool cheng = arch.rfind("cheng2020", 0) == 0;
    c.N = cheng ? 12 : 8;
    c.M = 12;
    v.push_back(c);
  }
  return v;
}

}  // namespace tiny::test
