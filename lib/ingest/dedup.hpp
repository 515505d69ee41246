#pragma once
// Near-duplicate filtering of 64-bit pHashes as a run goes: a hash is new unless an earlier kept
// hash is within the threshold. Candidates come from four tables keyed by each 16-bit quarter of
// the hash, so matches within 3 bits are always found (pigeonhole) and farther ones when a
// quarter agrees exactly.
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tiny::ingest {

class DedupIndex {
public:
  explicit DedupIndex(int threshold) : threshold_(threshold) {}
  // Keeps `hash` and returns true if no kept hash is within the threshold; false (not kept) otherwise.
  bool insert_if_new(uint64_t hash);
  size_t size() const { return hashes_.size(); }

private:
  int threshold_;
  std::vector<uint64_t> hashes_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> tables_[4];
};

}  // namespace tiny::ingest
