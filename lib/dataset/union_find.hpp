#pragma once
// Disjoint sets over indices 0..n-1, with path halving and union by size.
#include <cstddef>
#include <vector>

namespace tiny::dataset {

class UnionFind {
public:
  explicit UnionFind(size_t n);
  // Representative of i's set.
  size_t find(size_t i);
  // Merges the sets of a and b.
  void unite(size_t a, size_t b);
  // Sets with more than one member, each sorted ascending, ordered by their smallest member.
  std::vector<std::vector<size_t>> groups();

private:
  std::vector<size_t> parent_, size_;
};

}  // namespace tiny::dataset
