#include "dataset/select.hpp"

#include "core/error.hpp"
#include "dataset/near_dup_index.hpp"
#include "dataset/union_find.hpp"
#include "dataset/view_pairs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace tiny::dataset {
namespace {

// True if record a should be kept over record b: a reference file first, then the policy (ties: the
// earlier index).
bool better(const FileRecord& a, size_t ia, const FileRecord& b, size_t ib, KeepPolicy policy) {
  if (a.reference != b.reference) return a.reference;
  uint64_t pa = uint64_t(a.info.width) * a.info.height, pb = uint64_t(b.info.width) * b.info.height;
  switch (policy) {
    case KeepPolicy::largest:
      if (pa != pb) return pa > pb;
      if (a.size != b.size) return a.size > b.size;
      break;
    case KeepPolicy::largest_file:
      if (a.size != b.size) return a.size > b.size;
      break;
    case KeepPolicy::oldest:
      if (a.mtime != b.mtime) return a.mtime < b.mtime;
      break;
    case KeepPolicy::first: break;
  }
  return ia < ib;
}

}  // namespace

KeepPolicy keep_policy_from_name(const std::string& name) {
  if (name == "largest") return KeepPolicy::largest;
  if (name == "largest-file") return KeepPolicy::largest_file;
  if (name == "oldest") return KeepPolicy::oldest;
  if (name == "first") return KeepPolicy::first;
  throw UsageError("unknown keep policy '" + name + "' (choose largest, largest-file, oldest or first)");
}

int histogram_margin(HashKind kind) { return hash_bits(kind) / 16; }

int record_distance(const FileRecord& a, const FileRecord& b, const MatchSettings& m) {
  if (m.kind == HashKind::views) return match_distance(a.signature, b.signature, m.coarse_threshold);
  return hamming(a.hash, b.hash);
}

Selection select_files(const std::vector<FileRecord>& records, const MatchSettings& match, KeepPolicy policy) {
  Selection s;
  std::vector<size_t> candidates;
  std::vector<std::string> reason(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].reference)
      s.references.push_back(i);
    if (!records[i].error.empty())
      reason[i] = "unreadable: " + records[i].error;
    else if (!records[i].filtered.empty())
      reason[i] = records[i].filtered;
    else
      candidates.push_back(i);
  }
  UnionFind sets(records.size());
  std::map<std::pair<uint64_t, uint64_t>, size_t> by_content;
  std::vector<size_t> distinct;
  for (size_t i : candidates) {
    auto [it, inserted] = by_content.emplace(std::make_pair(records[i].content, records[i].size), i);
    if (inserted)
      distinct.push_back(i);
    else
      sets.unite(it->second, i);
  }
  std::vector<HashPair> pairs;
  if (match.kind == HashKind::views) {
    std::vector<Signature> signatures;
    for (size_t i : distinct) signatures.push_back(records[i].signature);
    pairs = view_pairs(signatures, match.coarse_threshold, match.threshold + histogram_margin(match.kind));
  } else {
    std::vector<PerceptualHash> hashes;
    for (size_t i : distinct) hashes.push_back(records[i].hash);
    pairs = near_pairs(hashes, hash_bits(match.kind), match.threshold + histogram_margin(match.kind));
  }
  s.match = match;
  for (const HashPair& p : pairs) {
    s.pairs.push_back({uint32_t(distinct[p.a]), uint32_t(distinct[p.b]), p.distance});
    if (p.distance <= match.threshold) sets.unite(distinct[p.a], distinct[p.b]);
  }
  for (auto& members : sets.groups()) {
    DuplicateGroup g;
    g.members = std::move(members);
    g.keep = g.members[0];
    for (size_t m : g.members)
      if (better(records[m], m, records[g.keep], g.keep, policy)) g.keep = m;
    const FileRecord& keeper = records[g.keep];
    bool removes = false;
    for (size_t m : g.members) {
      if (m == g.keep || records[m].reference) continue;
      removes = true;
      std::string of = (keeper.reference ? "reference " : "") + keeper.file.path;
      int d = record_distance(records[m], keeper, match);
      if (records[m].content == keeper.content && records[m].size == keeper.size)
        reason[m] = "exact duplicate of " + of;
      else if (d == kNoMatch)
        reason[m] = "near duplicate of " + of + " (through other members of its group)";
      else
        reason[m] = fmt::format("near duplicate of {} (distance {})", of, d);
    }
    if (removes) s.groups.push_back(std::move(g));
  }
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].reference) continue;
    if (reason[i].empty())
      s.kept.push_back(i);
    else
      s.removed.push_back({i, reason[i]});
  }
  return s;
}

}  // namespace tiny::dataset
