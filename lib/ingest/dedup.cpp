#include "ingest/dedup.hpp"

namespace tiny::ingest {

bool DedupIndex::insert_if_new(uint64_t hash) {
  for (int q = 0; q < 4; ++q) {
    auto it = tables_[q].find(uint32_t((hash >> (16 * q)) & 0xffff));
    if (it == tables_[q].end()) continue;
    for (uint32_t i : it->second)
      if (__builtin_popcountll(hashes_[i] ^ hash) <= threshold_) return false;
  }
  uint32_t index = uint32_t(hashes_.size());
  hashes_.push_back(hash);
  for (int q = 0; q < 4; ++q) tables_[q][uint32_t((hash >> (16 * q)) & 0xffff)].push_back(index);
  return true;
}

}  // namespace tiny::ingest
