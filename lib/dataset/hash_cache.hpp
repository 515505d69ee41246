#pragma once
// A cache of content and perceptual hashes keyed by absolute path, size and modification time, so
// a re-run on a grown data set only hashes new or changed files. File format: docs/formats.md.
#include "dataset/perceptual_hash.hpp"
#include "dataset/view_hash.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tiny::dataset {

struct CacheEntry {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t content = 0;
  PerceptualHash hash;
  Signature signature;  // for the views kind
};

class HashCache {
public:
  explicit HashCache(HashKind kind) : kind_(kind) {}
  // Loads a cache file; a missing file gives an empty cache, entries of another hash kind are
  // dropped. Throws Error naming the file if it is corrupt (bad magic, version, size or checksum).
  static HashCache load(const std::string& path, HashKind kind);
  // The entry for a file if its size and modification time still match, else nullptr.
  const CacheEntry* find(const std::string& path, uint64_t size, int64_t mtime_ns) const;
  // Adds or replaces the entry of a file.
  void put(const std::string& path, const CacheEntry& entry);
  // Writes the cache atomically (temporary file + rename).
  void save(const std::string& path) const;
  // Number of entries.
  size_t size() const { return entries_.size(); }

private:
  static std::string key(const std::string& path);
  HashKind kind_;
  std::unordered_map<std::string, CacheEntry> entries_;
};

}  // namespace tiny::dataset
