#include "dataset/view_pairs.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"

#include <immintrin.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <utility>

namespace tiny::dataset {
namespace {

using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;

// Coarse hashes with the signature each belongs to, grouped by a key (counting sort, stable): group k
// holds entries [start[k], start[k + 1]).
struct Groups {
  std::vector<uint32_t> start;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> owners;
};

// Groups n entries by key(hash) < keys, counting and placing `slices` parts of them in parallel.
template <class Key>
void group(const uint64_t* hashes, const uint32_t* owners, size_t n, size_t keys, const Key& key, size_t slices,
           Groups& out) {
  slices = std::max<size_t>(1, std::min(slices, n));
  std::vector<uint32_t> next(keys * slices, 0);  // per slice and key: the next place of its entries
  auto each_slice = [&](const std::function<void(size_t, size_t, uint32_t*)>& f) {
    auto run = [&](size_t s) { f(n * s / slices, n * (s + 1) / slices, &next[s * keys]); };
    if (slices == 1) run(0);
    else parallel_for(0, slices, run);
  };
  each_slice([&](size_t lo, size_t hi, uint32_t* count) {
    for (size_t i = lo; i < hi; ++i) ++count[key(hashes[i])];
  });
  out.start.resize(keys + 1);
  uint32_t total = 0;
  for (size_t k = 0; k < keys; ++k) {
    out.start[k] = total;
    for (size_t s = 0; s < slices; ++s) total += std::exchange(next[s * keys + k], total);
  }
  out.start[keys] = total;
  out.hashes.resize(n);
  out.owners.resize(n);
  each_slice([&](size_t lo, size_t hi, uint32_t* place) {
    for (size_t i = lo; i < hi; ++i) {
      const uint32_t at = place[key(hashes[i])]++;
      out.hashes[at] = hashes[i];
      out.owners[at] = owners[i];
    }
  });
}

// One block of the 64 bits: `width` bits from `shift`, the high `width - low_bits` of them naming the
// tile.
struct Block {
  int shift, width, low_bits;
  uint32_t value(uint64_t h) const { return uint32_t((h >> shift) & ((uint64_t(1) << width) - 1)); }
  uint32_t low(uint64_t h) const { return value(h) & ((uint32_t(1) << low_bits) - 1); }
};

// What every tile of a block is joined with: the whole views grouped by block value, the masks of
// the tiles near a tile (ascending bits flipped) and, per bits flipped there, the masks within a tile.
struct TileJoin {
  Block block;
  const Groups& wholes;
  const std::vector<uint32_t>& hi_masks;
  const std::vector<std::vector<uint32_t>>& lo_masks;
  int threshold;
};

// Lanes compared at once: a bucket of the views holds about 16 at a million images, so that one pass
// (no data-dependent branch) covers nearly every bucket.
constexpr uint32_t kLanes = 24;

// Bit l set where popcount(h ^ p[l]) <= threshold, for l < n <= kLanes: three times eight lanes.
struct Avx512Lanes {
  __attribute__((target("avx512f,avx512vpopcntdq"))) uint32_t operator()(uint64_t h, const uint64_t* p, uint32_t n,
                                                                          int threshold) const {
    const uint32_t valid = (uint32_t(1) << n) - 1;
    const __m512i x = _mm512_set1_epi64(int64_t(h)), t = _mm512_set1_epi64(threshold);
    uint32_t bits = 0;
    for (uint32_t part = 0; part < kLanes / 8; ++part) {
      const __mmask8 m = __mmask8(valid >> (8 * part));
      const __m512i d = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_maskz_loadu_epi64(m, p + 8 * part), x));
      bits |= uint32_t(_mm512_mask_cmple_epu64_mask(m, d, t)) << (8 * part);
    }
    return bits;
  }
};

// The same one lane at a time.
struct ScalarLanes {
  uint32_t operator()(uint64_t h, const uint64_t* p, uint32_t n, int threshold) const {
    uint32_t bits = 0;
    for (uint32_t l = 0; l < n; ++l) bits |= uint32_t(__builtin_popcountll(h ^ p[l]) <= threshold) << l;
    return bits;
  }
};

// The pairs (owner a < owner b) of a whole view in a tile near `tile` and a view of `tile` (`views`,
// grouped by their low bits) with block values within the radius and coarse hashes within the
// threshold. The tile's views stay in the core's cache while the whole views near it pass by.
template <class Lanes>
__attribute__((always_inline)) inline void join_tile(const TileJoin& j, uint32_t tile, const Groups& views, Pairs& out) {
  const Lanes lanes;
  const uint32_t tile_size = uint32_t(1) << j.block.low_bits;
  for (uint32_t hi : j.hi_masks) {
    const std::vector<uint32_t>& los = j.lo_masks[size_t(__builtin_popcount(hi))];
    const uint32_t near = (tile ^ hi) * tile_size;
    for (uint32_t e = j.wholes.start[near], end = j.wholes.start[near + tile_size]; e < end; ++e) {
      const uint64_t h = j.wholes.hashes[e];
      const uint32_t a = j.wholes.owners[e], low = j.block.low(h);
      for (uint32_t lo : los) {
        const uint32_t first = views.start[low ^ lo], last = views.start[(low ^ lo) + 1];
        for (uint32_t l = first; l < last; l += kLanes)
          for (uint32_t bits = lanes(h, &views.hashes[l], std::min(kLanes, last - l), j.threshold); bits != 0;
               bits &= bits - 1) {
            const uint32_t b = views.owners[l + uint32_t(__builtin_ctz(bits))];
            if (b != a) out.push_back({std::min(a, b), std::max(a, b)});
          }
      }
    }
  }
}

__attribute__((target("avx512f,avx512vpopcntdq"), flatten)) void join_tile_avx512(const TileJoin& j, uint32_t tile,
                                                                                  const Groups& views, Pairs& out) {
  join_tile<Avx512Lanes>(j, tile, views, out);
}

__attribute__((target("popcnt"), flatten)) void join_tile_popcnt(const TileJoin& j, uint32_t tile, const Groups& views,
                                                                 Pairs& out) {
  join_tile<ScalarLanes>(j, tile, views, out);
}

void join_tile_default(const TileJoin& j, uint32_t tile, const Groups& views, Pairs& out) {
  join_tile<ScalarLanes>(j, tile, views, out);
}

using TileJoinFn = void (*)(const TileJoin&, uint32_t, const Groups&, Pairs&);

// The fastest tile join this CPU runs (the build targets baseline x86-64).
TileJoinFn tile_join() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) return join_tile_avx512;
  if (__builtin_cpu_supports("popcnt")) return join_tile_popcnt;
  return join_tile_default;
}

// Every pair of signatures (a < b) where the whole view of one and some view of the other have coarse
// hashes within `threshold`, by multi-index hashing over all views at once: the 64 bits are split
// into blocks; two hashes within the threshold agree within threshold / blocks bits on at least one
// block, so each block's whole-view buckets are joined with the view buckets within that many bits.
// The views are split into tiles of about `tile_views` by the high bits of the block; each tile is
// grouped by its low bits and joined on its own (in parallel), its masks split into a part between
// tiles and a part within the tile.
Pairs coarse_candidates(const std::vector<Signature>& signatures, int threshold, size_t tile_views) {
  std::vector<uint64_t> whole_hashes, view_hashes;
  std::vector<uint32_t> whole_owners, view_owners;
  for (size_t i = 0; i < signatures.size(); ++i)
    for (size_t v = 0; v < signatures[i].views.size(); ++v) {
      if (v == 0) {
        whole_hashes.push_back(signatures[i].views[v].coarse);
        whole_owners.push_back(uint32_t(i));
      }
      view_hashes.push_back(signatures[i].views[v].coarse);
      view_owners.push_back(uint32_t(i));
    }
  if (view_hashes.size() > UINT32_MAX) throw Error("too many views for one index");
  const int blocks = choose_blocks(view_hashes.size(), 64, threshold), radius = threshold / blocks;
  static const TileJoinFn join_fn = tile_join();
  constexpr size_t kSlices = 16;  // parallel parts of the grouping into tiles
  Pairs out;
  std::mutex out_mutex;
  Progress matching("matching views", size_t(blocks), "blocks");
  for (int b = 0; b < blocks; ++b) {
    const int shift = b * 64 / blocks, width = (b + 1) * 64 / blocks - shift;
    int tile_bits = 0;
    while (tile_bits < width && (view_hashes.size() >> tile_bits) > std::max<size_t>(tile_views, 1)) ++tile_bits;
    const Block block{shift, width, width - tile_bits};
    Groups wholes, tiles;
    group(whole_hashes.data(), whole_owners.data(), whole_hashes.size(), size_t(1) << width,
          [&](uint64_t h) { return block.value(h); }, 1, wholes);
    group(view_hashes.data(), view_owners.data(), view_hashes.size(), size_t(1) << tile_bits,
          [&](uint64_t h) { return block.value(h) >> block.low_bits; }, kSlices, tiles);
    const std::vector<uint32_t> hi_masks = neighbour_masks(tile_bits, radius);
    std::vector<std::vector<uint32_t>> lo_masks;
    for (int flipped = 0; flipped <= radius; ++flipped) lo_masks.push_back(neighbour_masks(block.low_bits, radius - flipped));
    const TileJoin join{block, wholes, hi_masks, lo_masks, threshold};
    parallel_for_chunks(0, size_t(1) << tile_bits, 1, [&](size_t lo, size_t hi) {
      Groups views;
      Pairs local;
      for (size_t t = lo; t < hi; ++t) {
        const uint32_t first = tiles.start[t];
        group(&tiles.hashes[first], &tiles.owners[first], tiles.start[t + 1] - first, size_t(1) << block.low_bits,
              [&](uint64_t h) { return block.low(h); }, 1, views);
        join_fn(join, uint32_t(t), views, local);
      }
      std::lock_guard<std::mutex> lock(out_mutex);
      out.insert(out.end(), local.begin(), local.end());
    });
    matching.advance();
  }
  matching.finish();
  return out;
}

}  // namespace

std::vector<HashPair> view_pairs(const std::vector<Signature>& signatures, int coarse_threshold,
                                 int fine_threshold, size_t tile_views) {
  if (coarse_threshold < 0) throw UsageError("the distance threshold must be >= 0");
  if (signatures.size() > UINT32_MAX - 1) throw Error("too many signatures for one index");
  std::vector<std::pair<uint32_t, uint32_t>> candidates = coarse_candidates(signatures, coarse_threshold, tile_views);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<int> distance(candidates.size());
  constexpr size_t kBlock = 1 << 14;  // candidates verified between progress updates
  Progress verifying("verifying pairs", candidates.size(), "pairs");
  for (size_t begin = 0; begin < candidates.size(); begin += kBlock) {
    const size_t end = std::min(candidates.size(), begin + kBlock);
    parallel_for(begin, end, [&](size_t c) {
      const auto& [a, b] = candidates[c];
      distance[c] = match_distance(signatures[a], signatures[b], coarse_threshold);
    });
    verifying.advance(end - begin);
  }
  verifying.finish();
  std::vector<HashPair> out;
  for (size_t c = 0; c < candidates.size(); ++c)
    if (distance[c] <= fine_threshold) out.push_back({candidates[c].first, candidates[c].second, distance[c]});
  return out;
}

std::vector<HashPair> view_pairs_brute_force(const std::vector<Signature>& signatures, int coarse_threshold,
                                             int fine_threshold) {
  std::vector<HashPair> out;
  for (size_t a = 0; a < signatures.size(); ++a)
    for (size_t b = a + 1; b < signatures.size(); ++b) {
      int d = match_distance(signatures[a], signatures[b], coarse_threshold);
      if (d <= fine_threshold) out.push_back({uint32_t(a), uint32_t(b), d});
    }
  return out;
}

}  // namespace tiny::dataset
