#include "core/error.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("file_error names the file, and stdin as <stdin>") {
  CHECK(file_error("a.png", "broken") == "a.png: broken");
  CHECK(file_error("-", "broken") == "<stdin>: broken");
}

TEST_CASE("UsageError is an Error, so callers can catch either") {
  try {
    throw UsageError("bad flag");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "bad flag");
  }
}
