#include "dataset/view_stream.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace tiny::dataset {
namespace {

uint32_t block(uint64_t coarse, int b) { return uint32_t((coarse >> (16 * b)) & 0xffff); }

// Calls f(w) for every 16-bit w within `radius` flipped bits of `value` (bits >= `from` only).
template <class F>
void for_each_flip(uint32_t value, int radius, int from, const F& f) {
  f(value);
  if (radius == 0) return;
  for (int b = from; b < 16; ++b) for_each_flip(value ^ (1u << b), radius - 1, b + 1, f);
}

}  // namespace

ViewStreamIndex::ViewStreamIndex(int coarse_threshold, int fine_threshold)
    : coarse_threshold_(coarse_threshold), fine_threshold_(fine_threshold) {
  if (coarse_threshold < 0 || coarse_threshold > 64 || fine_threshold < 0 || fine_threshold > 256)
    throw UsageError("near-duplicate thresholds out of range (coarse 0..64, fine 0..256)");
}

void ViewStreamIndex::lookup(const Table* tables, uint64_t coarse, std::vector<uint32_t>& out) const {
  const int radius = coarse_threshold_ / 4;
  for (int b = 0; b < 4; ++b)
    for_each_flip(block(coarse, b), radius, 0, [&](uint32_t w) {
      const auto& bucket = tables[b][w];
      out.insert(out.end(), bucket.begin(), bucket.end());
    });
}

long ViewStreamIndex::find_match(const Signature& signature) const {
  const std::vector<ViewHash>& views = signature.views;
  if (views.empty() || kept_.empty()) return -1;
  std::vector<uint32_t> candidates;
  lookup(any_, views[0].coarse, candidates);
  for (size_t v = 1; v < views.size(); ++v) lookup(whole_, views[v].coarse, candidates);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (uint32_t i : candidates)
    if (match_distance(signature, kept_[i], coarse_threshold_) <= fine_threshold_) return long(i);
  return -1;
}

bool ViewStreamIndex::insert_if_new(const Signature& signature) {
  if (signature.views.empty() || find_match(signature) >= 0) return false;
  if (kept_.empty()) {  // the tables (12 MiB) are made by the first insert: an index never used costs nothing
    for (int b = 0; b < 4; ++b) {
      whole_[b].resize(65536);
      any_[b].resize(65536);
    }
  }
  uint32_t id = uint32_t(kept_.size());
  kept_.push_back(signature);
  for (int b = 0; b < 4; ++b) {
    whole_[b][block(signature.views[0].coarse, b)].push_back(id);
    for (const ViewHash& v : signature.views) {
      auto& bucket = any_[b][block(v.coarse, b)];
      if (bucket.empty() || bucket.back() != id) bucket.push_back(id);
    }
  }
  return true;
}

}  // namespace tiny::dataset
