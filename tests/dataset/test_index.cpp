#include "core/error.hpp"
#include "dataset/near_dup_index.hpp"
#include "dataset/union_find.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace tiny;
using namespace tiny::dataset;

namespace {

// Random hashes plus planted near copies (1..max_flip bits flipped).
std::vector<PerceptualHash> planted(size_t n, size_t pairs, int bits, int max_flip, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<PerceptualHash> h(n);
  for (auto& x : h)
    for (int w = 0; w < bits / 64; ++w) x.words[w] = rng();
  for (size_t p = 0; p < pairs; ++p) {
    PerceptualHash c = h[rng() % n];
    int flips = 1 + int(rng() % max_flip);
    for (int f = 0; f < flips; ++f) {
      int b = int(rng() % bits);
      c.words[b / 64] ^= uint64_t(1) << (b % 64);
    }
    h.push_back(c);
  }
  return h;
}

}  // namespace

TEST_CASE("the index finds exactly the pairs brute force finds") {
  for (int t : {0, 3, 8, 12}) {
    auto h = planted(4000, 400, 64, 14, 42 + t);
    auto fast = near_pairs(h, 64, t);
    auto slow = near_pairs_brute_force(h, t);
    CHECK(fast.size() == slow.size());
    CHECK(fast == slow);
    CHECK(!slow.empty());
  }
}

TEST_CASE("the index is exact for 256-bit hashes and duplicates") {
  auto h = planted(1500, 300, 256, 40, 5);
  h.push_back(h[10]);
  h.push_back(h[10]);
  for (int t : {0, 20, 40}) CHECK(near_pairs(h, 256, t) == near_pairs_brute_force(h, t));
}

TEST_CASE("the index handles tiny inputs and rejects a negative threshold") {
  CHECK(near_pairs({}, 64, 8).empty());
  CHECK(near_pairs({PerceptualHash{}}, 64, 8).empty());
  auto two = near_pairs({PerceptualHash{}, PerceptualHash{}}, 64, 0);
  REQUIRE(two.size() == 1);
  CHECK(two[0].distance == 0);
  CHECK_THROWS_AS(near_pairs({PerceptualHash{}}, 64, -1), UsageError);
}

TEST_CASE("union-find groups members transitively") {
  UnionFind u(6);
  u.unite(4, 1);
  u.unite(1, 5);
  u.unite(2, 3);
  auto g = u.groups();
  REQUIRE(g.size() == 2);
  CHECK(g[0] == std::vector<size_t>{1, 4, 5});
  CHECK(g[1] == std::vector<size_t>{2, 3});
  CHECK(u.find(4) == u.find(5));
  CHECK(u.find(0) != u.find(1));
}
