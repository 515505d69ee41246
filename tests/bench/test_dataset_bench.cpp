#include "bench/dataset_bench.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("bench dedup's own exactness check holds on a small run") {
  nlohmann::json j = bench::bench_dedup(20000, 200, 8, 3000);
  CHECK(j["sample_exact"] == true);
  CHECK(j["pairs_found"].get<size_t>() >= 190);
  CHECK(j["hashes"] == 20200);
}
