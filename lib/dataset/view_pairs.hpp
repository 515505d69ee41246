#pragma once
// Near-duplicate pairs of crop-robust signatures (view_hash.hpp), exactly as match_distance defines
// them: candidates are the pairs of signatures where the whole view of one and some view of the
// other have coarse hashes within the coarse threshold, found by one multi-index join of the whole
// views against all views (one table entry per view); each candidate pair of signatures is verified
// with match_distance <= fine threshold.
#include "dataset/near_dup_index.hpp"
#include "dataset/view_hash.hpp"

#include <vector>

namespace tiny::dataset {

// Every pair (a < b) with match_distance(signatures[a], signatures[b], coarse) <= fine (the distance
// reported), sorted by (a, b); runs in parallel.
std::vector<HashPair> view_pairs(const std::vector<std::vector<ViewHash>>& signatures, int coarse_threshold,
                                 int fine_threshold);

// The same pairs by comparing all pairs (reference for tests).
std::vector<HashPair> view_pairs_brute_force(const std::vector<std::vector<ViewHash>>& signatures, int coarse_threshold,
                                             int fine_threshold);

}  // namespace tiny::dataset
