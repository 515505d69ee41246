#include "dataset/sources.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "image/probe.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

bool has_image_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  return !ext.empty() && image::format_from_name(ext) != image::Format::unknown;
}

void list_folder(const fs::path& root, SourceListing& out) {
  std::vector<SourceFile> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw Error(file_error(root.string(), "cannot read folder: " + ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) {
      out.problems.push_back({root.string(), "cannot read folder: " + ec.message()});
      break;
    }
    const fs::directory_entry& e = *it;
    if (e.is_symlink(ec)) {
      if (has_image_extension(e.path())) out.problems.push_back({e.path().string(), "symbolic link not followed"});
      continue;
    }
    if (e.is_directory(ec) || !has_image_extension(e.path())) continue;
    if (!e.is_regular_file(ec)) {
      out.problems.push_back({e.path().string(), "not a regular file"});
      continue;
    }
    found.push_back({e.path().string(), e.path().lexically_relative(root).string()});
  }
  std::sort(found.begin(), found.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  out.files.insert(out.files.end(), found.begin(), found.end());
}

SourceFile resolve_entry(const fs::path& list, const std::string& entry) {
  fs::path p(entry);
  if (p.is_relative()) p = list.parent_path() / p;
  return {p.string(), p.filename().string()};
}

void list_lines(const fs::path& list, bool jsonl, SourceListing& out) {
  std::istringstream in(read_text_file(list.string()));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!jsonl) {
      out.files.push_back(resolve_entry(list, line));
      continue;
    }
    std::string origin = list.string() + " line " + std::to_string(number);
    Json j = parse_json(line, origin);
    if (!j.is_object() || !j.contains("path") || !j["path"].is_string())
      throw Error(origin + ": expected an object with a string \"path\"");
    out.files.push_back(resolve_entry(list, j["path"].get<std::string>()));
  }
}

}  // namespace

SourceListing list_sources(const std::vector<std::string>& sources) {
  SourceListing out;
  for (const auto& s : sources) {
    fs::path p(s);
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw Error(file_error(s, "no such file or folder"));
    std::string ext = p.extension().string();
    if (fs::is_directory(status))
      list_folder(p, out);
    else if (ext == ".txt" || ext == ".jsonl")
      list_lines(p, ext == ".jsonl", out);
    else if (has_image_extension(p))
      out.files.push_back({p.string(), p.filename().string()});
    else
      throw UsageError(file_error(s, "not a folder, a .txt list, a .jsonl manifest or an image"));
  }
  std::set<std::string> seen;
  std::vector<SourceFile> unique;
  for (auto& f : out.files)
    if (seen.insert(fs::path(f.path).lexically_normal().string()).second) unique.push_back(std::move(f));
  out.files = std::move(unique);
  return out;
}

}  // namespace tiny::dataset
