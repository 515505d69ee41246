#include "core/error.hpp"
#include "core/json_file.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("invalid JSON is reported with its line and column") {
  CHECK_THROWS_WITH_AS(parse_json("{\n  \"a\": 1,\n  \"b\": ]\n}", "c.json"),
                       doctest::Contains("c.json: invalid JSON at line 3 column 8"), UsageError);
}

TEST_CASE("check_known_keys names the unknown key and lists the known ones") {
  Json j = {{"quality", 3}, {"qualty", 4}};
  CHECK_THROWS_WITH_AS(check_known_keys(j, {"quality", "model"}, "c.json"),
                       doctest::Contains("unknown key 'qualty' (known keys: quality, model)"), UsageError);
  CHECK_NOTHROW(check_known_keys(Json{{"model", "x"}}, {"quality", "model"}, "c.json"));
}
