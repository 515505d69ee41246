#pragma once
// Near-duplicate pairs of crop-robust signatures (view_hash.hpp), exactly as match_distance defines
// them: candidates are the pairs of signatures where the whole view of one and some view of the
// other have coarse hashes within the coarse threshold, found by one multi-index join of the whole
// views against all views (one table entry per view), tile by tile; each candidate pair of signatures is verified
// with the two-stage match_distance (views within the fine threshold, colours agreeing).
#include "dataset/near_dup_index.hpp"
#include "dataset/view_hash.hpp"

#include <vector>

namespace tiny::dataset {

// Views per tile of the join: a tile's hashes and owners stay in a core's L2 cache.
constexpr size_t kJoinTileViews = size_t(1) << 16;

// Every pair (a < b) with match_distance(signatures[a], signatures[b], coarse) <= fine (the distance
// reported), sorted by (a, b); runs in parallel. `tile_views` changes only the speed (smaller in
// tests, to exercise the tiling).
std::vector<HashPair> view_pairs(const std::vector<Signature>& signatures, int coarse_threshold,
                                 int fine_threshold, size_t tile_views = kJoinTileViews);

// The same pairs by comparing all pairs (reference for tests).
std::vector<HashPair> view_pairs_brute_force(const std::vector<Signature>& signatures, int coarse_threshold,
                                             int fine_threshold);

}  // namespace tiny::dataset
