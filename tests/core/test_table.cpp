#include "core/error.hpp"
#include "core/table.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("tables align columns and right-align numbers") {
  Table t({"name", "bpp"});
  t.add_row({"jpeg", "1.25"});
  t.add_row({"tiny-mbt2018-mean", "0.5"});
  CHECK(t.render() ==
        "name               bpp\n"
        "-----------------------\n"
        "jpeg               1.25\n"
        "tiny-mbt2018-mean   0.5\n");
  CHECK_THROWS_AS(t.add_row({"a", "b", "c"}), Error);
}
