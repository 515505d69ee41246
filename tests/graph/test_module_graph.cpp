#include "module_graph_check.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tiny;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

// A tree of three modules, c -> b -> a, and two sharing lib/d (d_format and d, d -> d_format),
// whose includes all follow the rule; each test case breaks it in one place.
struct Tree {
  test::TempDir dir;
  fs::path root = dir.path();
  fs::path graph = root / "module_graph.txt";
  Tree() {
    write(graph,
          "a|lib/a||x.cpp\n"
          "b|lib/b|a|y.cpp\n"
          "c|lib/c|b|z.cpp\n"
          "d_format|lib/d|a|format.cpp\n"
          "d|lib/d|d_format b|run.cpp\n");
    write(root / "lib/a/x.hpp", "#pragma once\n#include <vector>\n");
    write(root / "lib/a/x.cpp", "#include \"a/x.hpp\"\n#include \"a/x_internal.hpp\"\n");
    write(root / "lib/a/x_internal.hpp", "#pragma once\n");
    write(root / "lib/b/y.hpp", "#pragma once\n#include \"a/x.hpp\"\n");
    write(root / "lib/b/y.cpp", "#include \"b/y.hpp\"\n#include \"fmt/format.h\"\n");
    write(root / "lib/c/z.cpp", "#include \"b/y.hpp\"\n\n#include \"c/z.hpp\"\n");
    write(root / "lib/c/z.hpp", "#pragma once\n");
    write(root / "lib/d/format.hpp", "#pragma once\n#include \"a/x.hpp\"\n");
    write(root / "lib/d/format.cpp", "#include \"d/format.hpp\"\n");
    write(root / "lib/d/run.cpp", "#include \"d/format.hpp\"\n#include \"b/y.hpp\"\n");
    write(root / "apps/tool/main.cpp", "#include \"c/z.hpp\"\n#include \"d/format.hpp\"\n");
  }
  std::vector<std::string> check() const { return test::check_module_graph(root, graph); }
};

}  // namespace

TEST_CASE("tiny's own modules include only what they declare") {
  std::vector<std::string> violations =
      test::check_module_graph(TINY_SOURCE_DIR, fs::path(TINY_BINARY_DIR) / "module_graph.txt");
  for (const auto& v : violations) MESSAGE(v);
  CHECK(violations.empty());
}

TEST_CASE("a tree that follows the rule passes") {
  Tree t;
  CHECK(t.check().empty());
}

TEST_CASE("an include of an undeclared module fails, naming file, line and header") {
  Tree t;
  write(t.root / "lib/c/z.cpp", "#include \"b/y.hpp\"\n\n#include \"a/x.hpp\"\n");
  std::vector<std::string> v = t.check();
  REQUIRE(v.size() == 1);
  CHECK(v[0] == "lib/c/z.cpp:3: includes \"a/x.hpp\" of module a, which module c does not name in its DEPS");
}

TEST_CASE("a module of a shared folder must declare its sibling") {
  Tree t;
  write(t.root / "lib/d/format.cpp", "#include \"d/format.hpp\"\n#include \"d/run.hpp\"\n");
  write(t.root / "lib/d/run.hpp", "#pragma once\n");
  std::vector<std::string> v = t.check();
  REQUIRE(v.size() == 1);
  CHECK(v[0] == "lib/d/format.cpp:2: includes \"d/run.hpp\" of module d, which module d_format does not name in its DEPS");
}

TEST_CASE("another module's internal header is refused, even to a module that declares it and to apps") {
  Tree t;
  write(t.root / "lib/b/y.cpp", "#include \"a/x_internal.hpp\"\n");
  write(t.root / "apps/tool/main.cpp", "#include \"c/z.hpp\"\n#include \"a/x_internal.hpp\"\n");
  std::vector<std::string> v = t.check();
  REQUIRE(v.size() == 2);
  CHECK(v[0] == "lib/b/y.cpp:1: includes \"a/x_internal.hpp\", a private header of module a");
  CHECK(v[1] == "apps/tool/main.cpp:2: includes \"a/x_internal.hpp\", a private header of module a");
}

TEST_CASE("a file of a shared folder that no module lists is reported") {
  Tree t;
  write(t.root / "lib/d/stray.hpp", "#pragma once\n");
  std::vector<std::string> v = t.check();
  REQUIRE(v.size() == 1);
  CHECK(v[0].rfind("lib/d/stray.hpp:1: no module of its folder lists stray.cpp", 0) == 0);
}

TEST_CASE("a malformed module graph is an error naming its line") {
  Tree t;
  write(t.graph, "a|lib/a||x.cpp\nb lib/b\n");
  CHECK_THROWS_WITH(t.check(), doctest::Contains("module_graph.txt:2: not a module line"));
}
