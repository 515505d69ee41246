#include "dataset/near_dup_index.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace tiny::dataset {
namespace {

// Bits [begin, begin + width) of a hash as an integer (width <= 32).
uint32_t block_value(const PerceptualHash& h, int begin, int width) {
  uint32_t v = 0;
  for (int k = 0; k < width;) {
    int bit = begin + k;
    int take = std::min(width - k, 64 - bit % 64);
    uint64_t chunk = h.words[bit / 64] >> (bit % 64);
    if (take < 64) chunk &= (uint64_t(1) << take) - 1;
    v |= uint32_t(chunk) << k;
    k += take;
  }
  return v;
}

// One block's table: ids of hashes grouped by block value (compressed rows).
struct BlockTable {
  int begin = 0, width = 0;
  std::vector<uint32_t> start;  // 2^width + 1 offsets
  std::vector<uint32_t> ids;
  std::vector<uint32_t> values;  // block value of every hash
};

BlockTable build_table(const std::vector<PerceptualHash>& hashes, int begin, int width) {
  BlockTable t;
  t.begin = begin;
  t.width = width;
  t.values.resize(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) t.values[i] = block_value(hashes[i], begin, width);
  t.start.assign((size_t(1) << width) + 1, 0);
  for (uint32_t v : t.values) ++t.start[v + 1];
  for (size_t i = 1; i < t.start.size(); ++i) t.start[i] += t.start[i - 1];
  std::vector<uint32_t> fill(t.start.begin(), t.start.end() - 1);
  t.ids.resize(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) t.ids[fill[t.values[i]]++] = uint32_t(i);
  return t;
}

// Calls f(v) for every value within `radius` flipped bits of `value` (bits >= `from` only).
template <class F>
void for_each_neighbour(uint32_t value, int width, int radius, int from, const F& f) {
  f(value);
  if (radius == 0) return;
  for (int b = from; b < width; ++b)
    for_each_neighbour(value ^ (uint32_t(1) << b), width, radius - 1, b + 1, f);
}

int popcount32(uint32_t x) { return __builtin_popcount(x); }

}  // namespace

std::vector<HashPair> near_pairs(const std::vector<PerceptualHash>& hashes, int bits, int threshold) {
  if (threshold < 0) throw UsageError("the distance threshold must be >= 0");
  if (hashes.size() > UINT32_MAX - 1) throw Error("too many hashes for one index");
  if (hashes.size() < 2) return {};
  // Block width ~ log2(n) + 2 keeps buckets small; at most 22 bits keeps each table <= 16 MiB.
  int log_n = int(std::ceil(std::log2(double(hashes.size()))));
  int max_width = std::clamp(log_n + 2, 4, 22);
  int blocks = std::max((bits + max_width - 1) / max_width, 1);
  int radius = threshold / blocks;
  std::vector<BlockTable> tables(blocks);
  parallel_for(0, blocks, [&](size_t b) {
    int begin = int(b) * bits / blocks, end = int(b + 1) * bits / blocks;
    tables[b] = build_table(hashes, begin, end - begin);
  });
  std::vector<std::vector<HashPair>> found(hashes.size());
  parallel_for_chunks(0, hashes.size(), 1024, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) {
      for (int b = 0; b < blocks; ++b) {
        const BlockTable& t = tables[b];
        for_each_neighbour(t.values[i], t.width, radius, 0, [&](uint32_t v) {
          for (uint32_t k = t.start[v]; k < t.start[v + 1]; ++k) {
            uint32_t j = t.ids[k];
            if (j <= i) continue;
            // Report the pair only from the first block where it is a candidate.
            bool earlier = false;
            for (int e = 0; e < b && !earlier; ++e)
              earlier = popcount32(tables[e].values[i] ^ tables[e].values[j]) <= radius;
            if (earlier) continue;
            int d = hamming(hashes[i], hashes[j]);
            if (d <= threshold) found[i].push_back({uint32_t(i), j, d});
          }
        });
      }
      std::sort(found[i].begin(), found[i].end(), [](const HashPair& x, const HashPair& y) { return x.b < y.b; });
    }
  });
  std::vector<HashPair> out;
  for (auto& f : found) out.insert(out.end(), f.begin(), f.end());
  return out;
}

std::vector<HashPair> near_pairs_brute_force(const std::vector<PerceptualHash>& hashes, int threshold) {
  std::vector<HashPair> out;
  for (size_t i = 0; i < hashes.size(); ++i)
    for (size_t j = i + 1; j < hashes.size(); ++j) {
      int d = hamming(hashes[i], hashes[j]);
      if (d <= threshold) out.push_back({uint32_t(i), uint32_t(j), d});
    }
  return out;
}

}  // namespace tiny::dataset
