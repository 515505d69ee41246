#pragma once
// All pairs of hashes within a Hamming distance, by multi-index hashing: the bits are split into m
// blocks; two hashes within distance t agree within floor(t/m) bits on at least one block
// (pigeonhole), so each block's neighbours are enumerated in a table and only those candidates are
// verified by popcount. Exact (same pairs as brute force), far below all-pairs cost.
#include "dataset/perceptual_hash.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace tiny::dataset {

struct HashPair {
  uint32_t a, b;  // indices, a < b
  int distance;
  bool operator==(const HashPair& o) const { return a == o.a && b == o.b && distance == o.distance; }
};

// Every pair (a < b) with hamming(hashes[a], hashes[b]) <= threshold, sorted by (a, b); runs in parallel.
std::vector<HashPair> near_pairs(const std::vector<PerceptualHash>& hashes, int bits, int threshold);
struct BlockTable;

// A multi-index over a fixed set of hashes ("base") for many batches of other hashes ("queries").
class NearIndex {
public:
  // Indexes `base` for queries within `threshold`.
  NearIndex(const std::vector<PerceptualHash>& base, int bits, int threshold);
  // Every (query index a, base index b) with hamming(queries[a], base[b]) <= threshold, sorted by (a, b).
  std::vector<HashPair> query(const std::vector<PerceptualHash>& queries) const;

private:
  int threshold_;
  std::shared_ptr<std::vector<BlockTable>> tables_;
};

// The block count with the least expected work for n hashes of `bits` bits within `threshold`
// (blocks of at most 22 bits).
int choose_blocks(size_t n, int bits, int threshold);
// Every value of `width` bits with at most `radius` bits set, ascending by the bits flipped first.
std::vector<uint32_t> neighbour_masks(int width, int radius);

// The same pairs by comparing all pairs (reference for tests and benchmarks).
std::vector<HashPair> near_pairs_brute_force(const std::vector<PerceptualHash>& hashes, int threshold);

}  // namespace tiny::dataset
