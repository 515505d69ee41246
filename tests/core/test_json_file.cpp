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

TEST_CASE("deeply nested JSON and repeated keys are refused before the document is built") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH_AS(parse_json(deep, "deep.json"), doctest::Contains("deep.json: JSON nested deeper than 128"),
                       UsageError);
  std::string objects;
  for (int i = 0; i < 200; ++i) objects += "{\"a\":";
  objects += "1" + std::string(200, '}');
  CHECK_THROWS_AS(parse_json(objects, "o.json"), UsageError);
  const std::string legit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK_NOTHROW(parse_json(legit, "ok.json"));
  CHECK_THROWS_WITH_AS(parse_json("{\"steps\": 1, \"seed\": 2, \"steps\": 3}", "dup.json"),
                       doctest::Contains("dup.json: JSON key 'steps' appears twice"), UsageError);
  CHECK_NOTHROW(parse_json("{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}}", "ok.json"));  // the same key in two objects
  // found by fuzz_json: a number beyond a double's range is invalid JSON too, not an escaping exception
  CHECK_THROWS_WITH_AS(parse_json("[666E66666666]", "big.json"), doctest::Contains("big.json: invalid JSON"), UsageError);
  std::string why;
  CHECK(parse_json_or_discard(deep, "row 3", &why).is_discarded());
  CHECK(why.find("row 3: JSON nested deeper") != std::string::npos);
  CHECK(parse_json_or_discard("{\"url\": \"x\"}", "row 4")["url"] == "x");
}
