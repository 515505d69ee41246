#pragma once
// The include rule of docs/architecture.md ("Module graph"), checked on a source tree: a file of
// module M may include the headers of M and of the modules M names in its DEPS (directly, not through
// another module), and no other module's `*_internal.hpp`; apps/ may include any public header.
#include <filesystem>
#include <string>
#include <vector>

namespace tiny::test {

// Reads the module graph that tiny_write_module_graph wrote ("<name>|<folder>|<deps>|<sources>"
// lines), scans every source file of every module folder under `root` and of `root`/apps, and returns
// one line per violation: "<file>:<line>: <problem>". Throws std::runtime_error if the graph cannot
// be read or a line of it is malformed.
std::vector<std::string> check_module_graph(const std::filesystem::path& root, const std::filesystem::path& graph);

}  // namespace tiny::test
