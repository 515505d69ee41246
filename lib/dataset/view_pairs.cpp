#include "dataset/view_pairs.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"

#include <immintrin.h>

#include <algorithm>
#include <mutex>

namespace tiny::dataset {
namespace {

// Coarse hashes bucketed by the value of one block of bits (counting sort): bucket v holds entries
// [start[v], start[v + 1]).
struct CoarseBlock {
  int shift = 0, width = 0;
  std::vector<uint32_t> start;     // 2^width + 1 offsets
  std::vector<uint64_t> hashes;    // in bucket order
  std::vector<uint32_t> owners;    // the signature each entry belongs to
  std::vector<uint32_t> occupied;  // block values with entries, ascending
  uint32_t value(uint64_t h) const { return uint32_t((h >> shift) & ((uint64_t(1) << width) - 1)); }
};

CoarseBlock bucket(const std::vector<uint64_t>& hashes, const std::vector<uint32_t>& owners, int shift, int width) {
  CoarseBlock t;
  t.shift = shift;
  t.width = width;
  t.start.assign((size_t(1) << width) + 1, 0);
  for (uint64_t h : hashes) ++t.start[t.value(h) + 1];
  for (size_t v = 0; v + 1 < t.start.size(); ++v)
    if (t.start[v + 1] > 0) t.occupied.push_back(uint32_t(v));
  for (size_t v = 1; v < t.start.size(); ++v) t.start[v] += t.start[v - 1];
  t.hashes.resize(hashes.size());
  t.owners.resize(hashes.size());
  std::vector<uint32_t> fill(t.start.begin(), t.start.end() - 1);
  for (size_t i = 0; i < hashes.size(); ++i) {
    const uint32_t k = fill[t.value(hashes[i])]++;
    t.hashes[k] = hashes[i];
    t.owners[k] = owners[i];
  }
  return t;
}

// Bit l set where popcount(h ^ p[l]) <= threshold, for l < n <= 8: eight lanes at once.
__attribute__((target("avx512f,avx512vpopcntdq"))) uint32_t near_lanes_avx512(uint64_t h, const uint64_t* p, uint32_t n,
                                                                              int threshold) {
  const __mmask8 valid = __mmask8((1u << n) - 1);
  const __m512i x = _mm512_xor_si512(_mm512_maskz_loadu_epi64(valid, p), _mm512_set1_epi64(int64_t(h)));
  return _mm512_mask_cmple_epu64_mask(valid, _mm512_popcnt_epi64(x), _mm512_set1_epi64(threshold));
}

// The same one lane at a time, with the popcnt instruction where the CPU has it (the build targets
// baseline x86-64).
__attribute__((target_clones("popcnt", "default"))) uint32_t near_lanes_scalar(uint64_t h, const uint64_t* p, uint32_t n,
                                                                              int threshold) {
  uint32_t bits = 0;
  for (uint32_t l = 0; l < n; ++l) bits |= uint32_t(__builtin_popcountll(h ^ p[l]) <= threshold) << l;
  return bits;
}

using NearLanes = uint32_t (*)(uint64_t, const uint64_t*, uint32_t, int);

// The fastest lane test this CPU runs.
NearLanes near_lanes() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) return near_lanes_avx512;
  return near_lanes_scalar;
}

// The pairs (owner a < owner b) of an entry in buckets occupied[lo..hi) of `outer` and one in the
// bucket `mask` away in `inner`, for every mask, with coarse hashes within `threshold` (mask by mask
// over ascending buckets, so that consecutive lookups stay close in memory).
void join_buckets(const CoarseBlock& outer, const CoarseBlock& inner, const std::vector<uint32_t>& masks, size_t lo,
                  size_t hi, int threshold, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  static const NearLanes lanes = near_lanes();
  for (uint32_t mask : masks)
    for (size_t o = lo; o < hi; ++o) {
      const uint32_t u = outer.occupied[o], w = u ^ mask;
      const uint32_t first = inner.start[w], last = inner.start[w + 1];
      for (uint32_t k = outer.start[u]; k < outer.start[u + 1] && first < last; ++k) {
        const uint64_t h = outer.hashes[k];
        const uint32_t a = outer.owners[k];
        for (uint32_t l = first; l < last; l += 8)
          for (uint32_t bits = lanes(h, &inner.hashes[l], std::min<uint32_t>(8, last - l), threshold); bits != 0;
               bits &= bits - 1) {
            const uint32_t b = inner.owners[l + uint32_t(__builtin_ctz(bits))];
            if (b != a) out.push_back({std::min(a, b), std::max(a, b)});
          }
      }
    }
}

// Every pair of signatures (a < b) where the whole view of one and some view of the other have coarse
// hashes within `threshold`, by multi-index hashing over all views at once: the 64 bits are split
// into blocks; two hashes within the threshold agree within threshold / blocks bits on at least one
// block, so each block's whole-view buckets are joined with the view buckets within that many bits.
std::vector<std::pair<uint32_t, uint32_t>> coarse_candidates(const std::vector<std::vector<ViewHash>>& signatures,
                                                             int threshold) {
  std::vector<uint64_t> whole_hashes, view_hashes;
  std::vector<uint32_t> whole_owners, view_owners;
  for (size_t i = 0; i < signatures.size(); ++i)
    for (size_t v = 0; v < signatures[i].size(); ++v) {
      if (v == 0) {
        whole_hashes.push_back(signatures[i][v].coarse);
        whole_owners.push_back(uint32_t(i));
      }
      view_hashes.push_back(signatures[i][v].coarse);
      view_owners.push_back(uint32_t(i));
    }
  const int blocks = choose_blocks(view_hashes.size(), 64, threshold), radius = threshold / blocks;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  std::mutex out_mutex;
  Progress matching("matching views", size_t(blocks), "blocks");
  for (int b = 0; b < blocks; ++b) {
    const int shift = b * 64 / blocks, width = (b + 1) * 64 / blocks - shift;
    const CoarseBlock wholes = bucket(whole_hashes, whole_owners, shift, width);
    const CoarseBlock views = bucket(view_hashes, view_owners, shift, width);
    const std::vector<uint32_t> masks = neighbour_masks(width, radius);
    parallel_for_chunks(0, wholes.occupied.size(), 4096, [&](size_t lo, size_t hi) {
      std::vector<std::pair<uint32_t, uint32_t>> local;
      join_buckets(wholes, views, masks, lo, hi, threshold, local);
      std::lock_guard<std::mutex> lock(out_mutex);
      out.insert(out.end(), local.begin(), local.end());
    });
    matching.advance();
  }
  matching.finish();
  return out;
}

}  // namespace

std::vector<HashPair> view_pairs(const std::vector<std::vector<ViewHash>>& signatures, int coarse_threshold,
                                 int fine_threshold) {
  if (coarse_threshold < 0) throw UsageError("the distance threshold must be >= 0");
  if (signatures.size() > UINT32_MAX - 1) throw Error("too many signatures for one index");
  std::vector<std::pair<uint32_t, uint32_t>> candidates = coarse_candidates(signatures, coarse_threshold);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<int> distance(candidates.size());
  constexpr size_t kBlock = 1 << 14;  // candidates verified between progress updates
  Progress verifying("verifying pairs", candidates.size(), "pairs");
  for (size_t begin = 0; begin < candidates.size(); begin += kBlock) {
    const size_t end = std::min(candidates.size(), begin + kBlock);
    parallel_for(begin, end, [&](size_t c) {
      const auto& [a, b] = candidates[c];
      distance[c] = signatures[a].empty() || signatures[b].empty()
                        ? kNoMatch
                        : match_distance(signatures[a], signatures[b], coarse_threshold);
    });
    verifying.advance(end - begin);
  }
  verifying.finish();
  std::vector<HashPair> out;
  for (size_t c = 0; c < candidates.size(); ++c)
    if (distance[c] <= fine_threshold) out.push_back({candidates[c].first, candidates[c].second, distance[c]});
  return out;
}

std::vector<HashPair> view_pairs_brute_force(const std::vector<std::vector<ViewHash>>& signatures, int coarse_threshold,
                                             int fine_threshold) {
  std::vector<HashPair> out;
  for (size_t a = 0; a < signatures.size(); ++a)
    for (size_t b = a + 1; b < signatures.size(); ++b) {
      if (signatures[a].empty() || signatures[b].empty()) continue;
      int d = match_distance(signatures[a], signatures[b], coarse_threshold);
      if (d <= fine_threshold) out.push_back({uint32_t(a), uint32_t(b), d});
    }
  return out;
}

}  // namespace tiny::dataset
