#include "bench/train_step_bench.hpp"
#include "core/error.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("the train-step benchmark runs both forms of the synthesis transform and they agree") {
  bench::StepBenchResult r = bench::bench_train_step("bmshj2018-factorized", 1, 1, 64, 1);
  CHECK(r.transposed_seconds > 0);
  CHECK(r.subpixel_seconds > 0);
  CHECK(r.transposed_cpu_seconds > 0);
  CHECK(r.subpixel_cpu_seconds > 0);
  CHECK(r.max_difference < 1e-4);
  CHECK(r.batch == 1);
  CHECK(r.size == 64);
  CHECK_THROWS_AS(bench::bench_train_step("mbt2018-mean", 1, 1, 100, 1), UsageError);
  CHECK_THROWS_AS(bench::bench_train_step("cheng2020-anchor", 1, 1, 64, 1), UsageError);
}
