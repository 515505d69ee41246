#include "dataset/union_find.hpp"

#include <cstdint>
#include <numeric>
#include <utility>

namespace tiny::dataset {

UnionFind::UnionFind(size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }

size_t UnionFind::find(size_t i) {
  while (parent_[i] != i) {
    parent_[i] = parent_[parent_[i]];
    i = parent_[i];
  }
  return i;
}

void UnionFind::unite(size_t a, size_t b) {
  a = find(a);
  b = find(b);
  if (a == b) return;
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
}

std::vector<std::vector<size_t>> UnionFind::groups() {
  std::vector<size_t> slot(parent_.size(), SIZE_MAX);
  std::vector<std::vector<size_t>> out;
  for (size_t i = 0; i < parent_.size(); ++i) {
    size_t r = find(i);
    if (size_[r] < 2) continue;
    if (slot[r] == SIZE_MAX) {
      slot[r] = out.size();
      out.emplace_back();
    }
    out[slot[r]].push_back(i);
  }
  return out;
}

}  // namespace tiny::dataset
