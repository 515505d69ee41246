#pragma once
// Near-duplicate filtering as a run goes (tiny ingest --dedup): a signature is new unless an earlier
// kept one matches it by the same rule as view_pairs (match_distance within the thresholds). Exact:
// the coarse hashes are split into four 16-bit blocks; two within the coarse threshold t agree within
// t / 4 bits on at least one block (pigeonhole), so every candidate is found by a table lookup per
// block and neighbouring value, and verified.
#include "dataset/view_hash.hpp"

#include <cstdint>
#include <vector>

namespace tiny::dataset {

class ViewStreamIndex {
public:
  // Matching with these thresholds (view_pairs.hpp).
  ViewStreamIndex(int coarse_threshold, int fine_threshold);
  // The index of the first kept signature that matches `signature`, or -1 if none does.
  long find_match(const Signature& signature) const;
  // Keeps `signature` if no kept signature matches it; returns whether it was kept.
  bool insert_if_new(const Signature& signature);
  // Number of kept signatures.
  size_t size() const { return kept_.size(); }

private:
  using Table = std::vector<std::vector<uint32_t>>;  // block value -> kept indices
  void lookup(const Table* tables, uint64_t coarse, std::vector<uint32_t>& out) const;
  int coarse_threshold_, fine_threshold_;
  std::vector<Signature> kept_;
  Table whole_[4], any_[4];  // whole views only; every view
};

}  // namespace tiny::dataset
