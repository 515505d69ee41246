#include "core/json_output.hpp"
#include "core/utf8.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("utf8: well-formed text passes, stray, overlong, surrogate and truncated bytes do not") {
  CHECK(is_valid_utf8("plain"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK(!is_valid_utf8("caf\xE9"));           // Latin-1 é
  CHECK(!is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK(!is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK(!is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK(!is_valid_utf8("\xE2\x82"));          // cut short
}

TEST_CASE("utf8: bad bytes are replaced by U+FFFD and counted, or escaped as \\xNN") {
  size_t replaced = 0;
  CHECK(replace_invalid_utf8("caf\xE9 na\xEFve", &replaced) == "caf\xEF\xBF\xBD na\xEF\xBF\xBDve");
  CHECK(replaced == 2);
  CHECK(replace_invalid_utf8("caf\xC3\xA9", &replaced) == "caf\xC3\xA9");
  CHECK(replaced == 2);
  CHECK(escape_invalid_utf8("photo_\xE9t\xE9.jpg") == "photo_\\xE9t\\xE9.jpg");
  CHECK(escape_invalid_utf8("\xE2\x82\xAC.png") == "\xE2\x82\xAC.png");
}

TEST_CASE("json output: strings and keys that are not UTF-8 are escaped, not an abort") {
  nlohmann::json j = {{"file", "dir/\xE9t\xE9.png"}, {"list", {"ok", "b\xFF"}}, {"n", 3}};
  j["k\xFE"] = true;
  CHECK_THROWS(j.dump());  // what every --json output did before
  nlohmann::json back = nlohmann::json::parse(dump_json(j, 2));
  CHECK(back["file"] == "dir/\\xE9t\\xE9.png");
  CHECK(back["list"][1] == "b\\xFF");
  CHECK(back["k\\xFE"] == true);
  CHECK(back["n"] == 3);
  CHECK(dump_json({{"a", "b"}}) == R"({"a":"b"})");
}
