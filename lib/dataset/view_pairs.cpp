#include "dataset/view_pairs.hpp"

#include "core/parallel.hpp"
#include "core/progress.hpp"

#include <algorithm>

namespace tiny::dataset {
namespace {

// The coarse hashes of view v of every signature (a signature without that view repeats its whole).
std::vector<PerceptualHash> coarse_of_view(const std::vector<std::vector<ViewHash>>& signatures, size_t v) {
  std::vector<PerceptualHash> out(signatures.size());
  for (size_t i = 0; i < signatures.size(); ++i)
    if (!signatures[i].empty()) out[i].words[0] = signatures[i][v < signatures[i].size() ? v : 0].coarse;
  return out;
}

}  // namespace

std::vector<HashPair> view_pairs(const std::vector<std::vector<ViewHash>>& signatures, int coarse_threshold,
                                 int fine_threshold) {
  size_t views = 0;
  for (const auto& s : signatures) views = std::max(views, s.size());
  std::vector<PerceptualHash> whole = coarse_of_view(signatures, 0);
  std::vector<std::pair<uint32_t, uint32_t>> candidates;
  Progress matching("matching views", std::max<size_t>(views, 1), "views");
  for (const HashPair& p : near_pairs(whole, 64, coarse_threshold)) candidates.push_back({p.a, p.b});
  matching.advance();
  if (views > 1) {
    NearIndex index(whole, 64, coarse_threshold);
    for (size_t v = 1; v < views; ++v) {
      for (const HashPair& p : index.query(coarse_of_view(signatures, v)))
        if (p.a != p.b) candidates.push_back({std::min(p.a, p.b), std::max(p.a, p.b)});
      matching.advance();
    }
  }
  matching.finish();
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
