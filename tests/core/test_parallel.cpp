#include "core/parallel.hpp"
#include "core/threads.hpp"

#include <doctest/doctest.h>

#include <numeric>
#include <stdexcept>
#include <vector>

using namespace tiny;

TEST_CASE("parallel_for visits every index exactly once, whatever the thread count") {
  for (int threads : {1, 2, 4}) {
    set_thread_count(threads);
    CHECK(thread_count() == threads);
    std::vector<int> hits(10007, 0);
    parallel_for(0, hits.size(), [&](size_t i) { hits[i] += 1; });
    CHECK(std::accumulate(hits.begin(), hits.end(), 0) == 10007);
    CHECK(*std::min_element(hits.begin(), hits.end()) == 1);
  }
  set_thread_count(0);
}

TEST_CASE("parallel_for_chunks covers the range with disjoint chunks") {
  std::vector<int> owner(1000, -1);
  parallel_for_chunks(0, 1000, 64, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) owner[i] = int(lo);
  });
  for (int o : owner) CHECK(o >= 0);
}

TEST_CASE("an exception in a worker reaches the caller") {
  CHECK_THROWS_AS(parallel_for(0, 100, [](size_t i) { if (i == 57) throw std::runtime_error("boom"); }),
                  std::runtime_error);
}

TEST_CASE("an empty range does nothing") {
  bool called = false;
  parallel_for(5, 5, [&](size_t) { called = true; });
  CHECK_FALSE(called);
}
