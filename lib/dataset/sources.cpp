#include "dataset/sources.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"
#include "image/probe.hpp"
#include "shards/brace.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

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
      if (is_image_name(e.path().string())) out.problems.push_back({e.path().string(), "symbolic link not followed"});
      continue;
    }
    if (e.is_directory(ec) || !is_image_name(e.path().string())) continue;
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

void list_shard(const fs::path& shard, SourceListing& out) {
  shards::ShardIndex index = shards::index_shard(shard.string());
  for (const auto& r : index.refused) out.problems.push_back({escape_control(shard.string() + "/" + r.name), r.reason});
  if (!index.error.empty()) out.problems.push_back({shard.string(), "corrupt shard, read up to here: " + index.error});
  for (auto& m : index.members)
    if (is_image_name(m.name))
      out.files.push_back({shards::member_path(m), (shard.stem() / m.name).string(), std::move(m)});
}

void list_source(const std::string& s, SourceListing& out) {
  if (s == "-") return list_lines(s, false, out);  // a path list on stdin, relative to the working folder
  fs::path p(s);
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (ec || !fs::exists(status)) throw Error(file_error(s, "no such file or folder"));
  std::string ext = p.extension().string();
  if (fs::is_directory(status))
    list_folder(p, out);
  else if (ext == ".tar")
    list_shard(p, out);
  else if (ext == ".txt" || ext == ".jsonl")
    list_lines(p, ext == ".jsonl", out);
  else if (is_image_name(s))
    out.files.push_back({p.string(), p.filename().string()});
  else
    throw UsageError(file_error(s, "not a folder, a .txt list, a .jsonl manifest, a .tar shard or an image"));
}

}  // namespace

SourceListing list_sources(const std::vector<std::string>& sources) {
  SourceListing out;
  for (const auto& s : sources) {
    if (!ends_with(s, ".tar")) list_source(s, out);
    else
      for (const auto& shard : shards::expand_braces(s)) list_source(shard, out);
  }
  std::set<std::string> seen;
  std::vector<SourceFile> unique;
  for (auto& f : out.files)
    if (seen.insert(fs::path(f.path).lexically_normal().string()).second) unique.push_back(std::move(f));
  out.files = std::move(unique);
  return out;
}

bool is_image_name(const std::string& name) {
  std::string ext = fs::path(name).extension().string();
  return !ext.empty() && image::format_from_name(ext) != image::Format::unknown;
}

Bytes read_source(const SourceFile& file) { return file.member ? shards::read_member(*file.member) : read_file(file.path); }

size_t append_references(SourceListing& listing, const std::vector<std::string>& references) {
  if (references.empty()) return 0;
  SourceListing refs = list_sources(references);
  auto key = [](const SourceFile& f) { return fs::absolute(f.path).lexically_normal().string(); };
  std::set<std::string> known;
  for (const SourceFile& f : refs.files) known.insert(key(f));
  listing.files.erase(std::remove_if(listing.files.begin(), listing.files.end(),
                                     [&](const SourceFile& f) { return known.count(key(f)) > 0; }),
                      listing.files.end());
  listing.files.insert(listing.files.end(), refs.files.begin(), refs.files.end());
  listing.problems.insert(listing.problems.end(), refs.problems.begin(), refs.problems.end());
  return refs.files.size();
}

}  // namespace tiny::dataset
