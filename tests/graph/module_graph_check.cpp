#include "module_graph_check.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace tiny::test {
namespace {

struct Module {
  std::string name, folder;  // folder relative to the root, e.g. "lib/codec"
  std::set<std::string> deps, sources;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.push_back("");
  return parts;
}

std::vector<Module> read_graph(const fs::path& graph) {
  std::ifstream in(graph);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the module graph", graph.string()));
  std::vector<Module> modules;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split(line, '|');
    if (fields.size() != 4 || fields[0].empty() || fields[1].empty())
      throw std::runtime_error(fmt::format("{}:{}: not a module line \"name|folder|deps|sources\"", graph.string(), number));
    Module m{fields[0], fields[1], {}, {}};
    for (const auto& d : split(fields[2], ' ')) if (!d.empty()) m.deps.insert(d);
    for (const auto& s : split(fields[3], ' ')) if (!s.empty()) m.sources.insert(s);
    modules.push_back(std::move(m));
  }
  return modules;
}

class Graph {
public:
  explicit Graph(std::vector<Module> modules) : modules_(std::move(modules)) {
    for (const auto& m : modules_) by_folder_[m.folder].push_back(&m);
  }
  const std::map<std::string, std::vector<const Module*>>& folders() const { return by_folder_; }

  // The module a file (relative to the root, e.g. "lib/codec/zoo.hpp") belongs to: the one of its
  // module folder that lists the source of the same stem, or the folder's only module. Sets `folder`
  // false when the file is in no module's folder; returns nullptr when the folder's owner is unclear.
  const Module* owner(const fs::path& file, bool& folder) const {
    auto it = by_folder_.end();
    for (fs::path dir = file.parent_path(); !dir.empty() && it == by_folder_.end(); dir = dir.parent_path()) {
      it = by_folder_.find(dir.generic_string());
    }
    folder = it != by_folder_.end();
    if (!folder) return nullptr;
    if (it->second.size() == 1) return it->second.front();
    fs::path source = fs::path(file).replace_extension(".cpp").lexically_relative(it->first);
    for (const Module* m : it->second)
      if (m->sources.count(source.generic_string())) return m;
    return nullptr;
  }

private:
  std::vector<Module> modules_;
  std::map<std::string, std::vector<const Module*>> by_folder_;
};

bool is_source(const fs::path& p) {
  std::string e = p.extension().string();
  return e == ".cpp" || e == ".hpp" || e == ".h" || e == ".cc";
}

bool is_internal(const std::string& header) {
  std::string stem = fs::path(header).stem().string();
  return stem.size() >= 9 && stem.compare(stem.size() - 9, 9, "_internal") == 0;
}

// Checks the quoted includes of one file; `self` is its module (nullptr for apps/).
void check_file(const fs::path& root, const fs::path& file, const Module* self, const Graph& graph,
                std::vector<std::string>& out) {
  static const std::regex include_line(R"(^\s*#\s*include\s*"([^"]+)\")");
  std::ifstream in(root / file);
  std::string line;
  std::smatch match;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!std::regex_search(line, match, include_line)) continue;
    std::string header = match[1];
    if (header.find('/') == std::string::npos) continue;  // beside the including file
    bool module_folder = false;
    const Module* target = graph.owner(fs::path("lib") / header, module_folder);
    if (!module_folder) continue;  // not a tiny module's header
    std::string where = fmt::format("{}:{}: includes \"{}\"", file.generic_string(), number, header);
    if (!target) {
      out.push_back(where + ", which no module of its folder owns (no module lists a source of that name)");
    } else if (self == target) {
      continue;
    } else if (is_internal(header)) {
      out.push_back(fmt::format("{}, a private header of module {}", where, target->name));
    } else if (self && !self->deps.count(target->name)) {
      out.push_back(fmt::format("{} of module {}, which module {} does not name in its DEPS", where, target->name,
                                self->name));
    }
  }
}

}  // namespace

std::vector<std::string> check_module_graph(const fs::path& root, const fs::path& graph_file) {
  Graph graph(read_graph(graph_file));
  std::vector<std::string> out;
  std::set<fs::path> files;
  for (const auto& [folder, modules] : graph.folders())
    if (fs::is_directory(root / folder))
      for (const auto& e : fs::recursive_directory_iterator(root / folder))
        if (e.is_regular_file() && is_source(e.path())) files.insert(e.path().lexically_relative(root));
  for (const fs::path& file : files) {
    bool module_folder = false;
    const Module* self = graph.owner(file, module_folder);
    if (!self) {
      out.push_back(fmt::format("{}:1: no module of its folder lists {}, so its includes cannot be checked",
                                file.generic_string(), fs::path(file).replace_extension(".cpp").filename().string()));
      continue;
    }
    check_file(root, file, self, graph, out);
  }
  if (fs::is_directory(root / "apps"))
    for (const auto& e : fs::recursive_directory_iterator(root / "apps"))
      if (e.is_regular_file() && is_source(e.path())) check_file(root, e.path().lexically_relative(root), nullptr, graph, out);
  return out;
}

}  // namespace tiny::test
