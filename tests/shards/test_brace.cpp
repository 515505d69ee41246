#include "core/error.hpp"
#include "shards/brace.hpp"

#include <doctest/doctest.h>

using namespace tiny;
using shards::expand_braces;

TEST_CASE("brace expansion: numeric ranges keep zero padding, lists and nesting expand in order") {
  auto a = expand_braces("data-{00000..00003}.tar");
  REQUIRE(a.size() == 4);
  CHECK(a[0] == "data-00000.tar");
  CHECK(a[3] == "data-00003.tar");
  CHECK(expand_braces("x{8..11}") == std::vector<std::string>{"x8", "x9", "x10", "x11"});
  CHECK(expand_braces("{train,val}-{0..1}.tar") ==
        std::vector<std::string>{"train-0.tar", "train-1.tar", "val-0.tar", "val-1.tar"});
  CHECK(expand_braces("a{b,{c,d}}e") == std::vector<std::string>{"abe", "ace", "ade"});
  CHECK(expand_braces("plain.tar") == std::vector<std::string>{"plain.tar"});
  CHECK(expand_braces("lit{x}.tar") == std::vector<std::string>{"lit{x}.tar"});
  CHECK(expand_braces("s3://bucket/{000..099}.tar").size() == 100);
}

TEST_CASE("brace expansion rejects unbalanced braces, bad ranges and huge lists") {
  CHECK_THROWS_AS(expand_braces("data-{0..3.tar"), UsageError);
  CHECK_THROWS_AS(expand_braces("data-0..3}.tar"), UsageError);
  CHECK_THROWS_AS(expand_braces("{5..1}"), UsageError);
  CHECK_THROWS_AS(expand_braces("{a..z}"), UsageError);
  CHECK_THROWS_AS(expand_braces("{0..99999999999}"), UsageError);
  CHECK_THROWS_AS(expand_braces("{0..999}{0..999}", 10000), UsageError);
}

TEST_CASE("brace expansion: literal groups append in place, so long patterns stay linear in size") {
  std::string groups;
  for (int i = 0; i < 1360; ++i) groups += "{x}";
  auto names = expand_braces("{1..999}" + groups, 1000);
  REQUIRE(names.size() == 999);
  CHECK(names.front() == "1" + groups);
  CHECK(names.back() == "999" + groups);
  CHECK(expand_braces("{a{1,2}}") == std::vector<std::string>{"{a1}", "{a2}"});
  CHECK(expand_braces("{}") == std::vector<std::string>{"{}"});
}

TEST_CASE("brace expansion rejects deep nesting, long patterns and products over the limit") {
  CHECK_THROWS_AS(expand_braces(std::string(40, '{') + "a,b" + std::string(40, '}')), UsageError);
  CHECK(expand_braces(std::string(8, '{') + "a,b" + std::string(8, '}')).size() == 2);
  CHECK_THROWS_AS(expand_braces("{a,b}{a,b}{a,b}{a,b}", 15), UsageError);
  CHECK_THROWS_AS(expand_braces(std::string(4097, 'a')), UsageError);
  CHECK(expand_braces("{a,b}{a,b}{a,b}{a,b}", 16).size() == 16);
}
