#include "dataset/near_dup_index.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <tuple>

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

}  // namespace

// One block's table: hashes grouped by block value (compressed rows), kept in that order so that
// neighbouring buckets are neighbours in memory.
struct BlockTable {
  int begin = 0, width = 0;
  std::vector<uint32_t> start;          // 2^width + 1 offsets
  std::vector<uint32_t> ids;            // original index of each entry
  std::vector<PerceptualHash> sorted;   // hashes[ids[k]]
  std::vector<uint32_t> occupied;       // distinct block values present, ascending
};

namespace {

BlockTable build_table(const std::vector<PerceptualHash>& hashes, int begin, int width) {
  BlockTable t;
  t.begin = begin;
  t.width = width;
  std::vector<uint32_t> values(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) values[i] = block_value(hashes[i], begin, width);
  t.start.assign((size_t(1) << width) + 1, 0);
  for (uint32_t v : values) ++t.start[v + 1];
  for (size_t v = 0; v + 1 < t.start.size(); ++v)
    if (t.start[v + 1] > 0) t.occupied.push_back(uint32_t(v));
  for (size_t i = 1; i < t.start.size(); ++i) t.start[i] += t.start[i - 1];
  std::vector<uint32_t> fill(t.start.begin(), t.start.end() - 1);
  t.ids.resize(hashes.size());
  t.sorted.resize(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) {
    uint32_t k = fill[values[i]]++;
    t.ids[k] = uint32_t(i);
    t.sorted[k] = hashes[i];
  }
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

// Values within `radius` bits of a `width`-bit value.
double ball_size(int width, int radius) {
  double total = 0, term = 1;
  for (int k = 0; k <= radius && k <= width; ++k) {
    total += term;
    term = term * (width - k) / (k + 1);
  }
  return total;
}

// Every pair (a from `left`, b from `right`) within the threshold, found through the blocks' tables;
// a self-join (left == right) reports each unordered pair once, with a < b.
std::vector<HashPair> join(const std::vector<BlockTable>& left, const std::vector<BlockTable>& right, bool self,
                           int threshold) {
  const int blocks = int(left.size()), radius = threshold / blocks;
  std::vector<HashPair> out;
  std::mutex out_mutex;
  for (int b = 0; b < blocks; ++b) {
    const BlockTable& t = left[size_t(b)];
    const BlockTable& r = right[size_t(b)];
    const std::vector<uint32_t> masks = neighbour_masks(t.width, radius);
    // A pair is reported from the first block where its halves are within `radius`.
    auto first_block = [&](const PerceptualHash& x, const PerceptualHash& y) {
      for (int e = 0; e < b; ++e)
        if (popcount32(block_value(x, left[size_t(e)].begin, left[size_t(e)].width) ^
                       block_value(y, left[size_t(e)].begin, left[size_t(e)].width)) <= radius)
          return false;
      return true;
    };
    // Buckets u and w = u ^ mask (in a self-join u <= w): consecutive u keep the lookups close in memory.
    parallel_for_chunks(0, t.occupied.size(), 4096, [&](size_t lo, size_t hi) {
      std::vector<HashPair> local;
      for (uint32_t mask : masks)
        for (size_t o = lo; o < hi; ++o) {
          uint32_t u = t.occupied[o], w = u ^ mask;
          if ((self && w < u) || r.start[w] == r.start[w + 1]) continue;
          for (uint32_t k = t.start[u]; k < t.start[u + 1]; ++k)
            for (uint32_t l = self && mask == 0 ? k + 1 : r.start[w]; l < r.start[w + 1]; ++l) {
              int d = hamming(t.sorted[k], r.sorted[l]);
              if (d > threshold || !first_block(t.sorted[k], r.sorted[l])) continue;
              if (self) local.push_back({std::min(t.ids[k], r.ids[l]), std::max(t.ids[k], r.ids[l]), d});
              else local.push_back({t.ids[k], r.ids[l], d});
            }
        }
      std::lock_guard<std::mutex> lock(out_mutex);
      out.insert(out.end(), local.begin(), local.end());
    });
  }
  std::sort(out.begin(), out.end(), [](const HashPair& x, const HashPair& y) { return std::tie(x.a, x.b) < std::tie(y.a, y.b); });
  return out;
}

std::vector<BlockTable> build_tables(const std::vector<PerceptualHash>& hashes, int bits, int blocks) {
  std::vector<BlockTable> tables(static_cast<size_t>(blocks));
  parallel_for(0, size_t(blocks), [&](size_t b) {
    int begin = int(b) * bits / blocks, end = int(b + 1) * bits / blocks;
    tables[b] = build_table(hashes, begin, end - begin);
  });
  return tables;
}

void check_sizes(size_t n, int threshold) {
  if (threshold < 0) throw UsageError("the distance threshold must be >= 0");
  if (n > UINT32_MAX - 1) throw Error("too many hashes for one index");
}

}  // namespace

// The least expected work per hash: blocks x neighbours enumerated x (one lookup + expected bucket
// size), with blocks of at most 22 bits (tables of at most 16 MiB).
int choose_blocks(size_t n, int bits, int threshold) {
  int best = 0;
  double best_cost = 0;
  for (int m = (bits + 21) / 22; m <= bits; ++m) {
    int width = bits / m;
    double cost = m * ball_size(width, threshold / m) * (1.0 + double(n) / std::ldexp(1.0, width));
    if (best == 0 || cost < best_cost) {
      best = m;
      best_cost = cost;
    }
  }
  return best;
}

std::vector<uint32_t> neighbour_masks(int width, int radius) {
  std::vector<uint32_t> masks;
  for_each_neighbour(0, width, radius, 0, [&](uint32_t m) { masks.push_back(m); });
  return masks;
}

std::vector<HashPair> near_pairs(const std::vector<PerceptualHash>& hashes, int bits, int threshold) {
  check_sizes(hashes.size(), threshold);
  if (hashes.size() < 2) return {};
  std::vector<BlockTable> tables = build_tables(hashes, bits, choose_blocks(hashes.size(), bits, threshold));
  return join(tables, tables, true, threshold);
}

NearIndex::NearIndex(const std::vector<PerceptualHash>& base, int bits, int threshold) : threshold_(threshold) {
  check_sizes(base.size(), threshold);
  tables_ = std::make_shared<std::vector<BlockTable>>(build_tables(base, bits, choose_blocks(base.size(), bits, threshold)));
}

std::vector<HashPair> NearIndex::query(const std::vector<PerceptualHash>& queries) const {
  check_sizes(queries.size(), threshold_);
  if (queries.empty() || (*tables_)[0].ids.empty()) return {};
  std::vector<BlockTable> q;
  for (const BlockTable& t : *tables_) q.push_back(build_table(queries, t.begin, t.width));
  return join(q, *tables_, false, threshold_);
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
