#include "dataset/hash_cache.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "dataset/content_hash.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace tiny::dataset {
namespace {

constexpr char kMagic[8] = {'T', 'I', 'N', 'Y', 'H', 'C', 'A', 'C'};
// 2 added the views, 3 the colour grid and mirror flag of the signature; version 1 and 2 files are
// still read, without their signatures (so that views are hashed again).
constexpr uint32_t kVersion = 3;

template <class T>
void put_le(std::string& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out += char((uint64_t(v) >> (8 * i)) & 0xFF);
}

class Reader {
public:
  Reader(const Bytes& b, const std::string& path) : b_(b), path_(path) {}
  template <class T>
  T get() {
    need(sizeof(T));
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t(b_[pos_ + i]) << (8 * i);
    pos_ += sizeof(T);
    return T(v);
  }
  std::string text(size_t n) {
    need(n);
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  void need(size_t n) const {
    if (n > b_.size() - pos_) throw Error(file_error(path_, "hash cache is truncated"));
  }

private:
  const Bytes& b_;
  const std::string& path_;
  size_t pos_ = 0;
};

}  // namespace

std::string HashCache::key(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

HashCache HashCache::load(const std::string& path, HashKind kind) {
  HashCache cache(kind);
  std::error_code ec;
  if (!fs::exists(path, ec)) return cache;
  Bytes b = read_file(path);
  if (b.size() < 8 + 4 + 4 + 8 + 8 || std::memcmp(b.data(), kMagic, 8) != 0)
    throw Error(file_error(path, "not a tiny hash cache"));
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t(b[b.size() - 8 + i]) << (8 * i);
  if (stored != content_hash(b.data(), b.size() - 8)) throw Error(file_error(path, "hash cache checksum mismatch"));
  Bytes body(b.begin() + 8, b.end() - 8);
  Reader r(body, path);
  uint32_t version = r.get<uint32_t>();
  if (version < 1 || version > kVersion) throw Error(file_error(path, "unsupported hash cache version"));
  uint32_t stored_kind = r.get<uint32_t>();
  uint64_t count = r.get<uint64_t>();
  if (count > body.size()) throw Error(file_error(path, "hash cache entry count is corrupt"));
  for (uint64_t i = 0; i < count; ++i) {
    std::string p = r.text(r.get<uint32_t>());
    CacheEntry e;
    e.size = r.get<uint64_t>();
    e.mtime_ns = r.get<int64_t>();
    e.content = r.get<uint64_t>();
    for (auto& w : e.hash.words) w = r.get<uint64_t>();
    uint32_t views = version == 1 ? 0 : r.get<uint32_t>();
    if (views > body.size()) throw Error(file_error(path, "hash cache view count is corrupt"));
    e.signature.views.resize(views);
    for (ViewHash& v : e.signature.views) {
      v.coarse = r.get<uint64_t>();
      for (auto& w : v.fine) w = r.get<uint64_t>();
    }
    if (version >= 3) {
      for (uint8_t& c : e.signature.colour) c = r.get<uint8_t>();
      e.signature.mirror = r.get<uint8_t>() != 0;
    } else {
      e.signature = {};
    }
    if (stored_kind == uint32_t(kind)) cache.entries_[p] = e;
  }
  return cache;
}

const CacheEntry* HashCache::find(const std::string& path, uint64_t size, int64_t mtime_ns) const {
  auto it = entries_.find(key(path));
  if (it == entries_.end() || it->second.size != size || it->second.mtime_ns != mtime_ns) return nullptr;
  return &it->second;
}

void HashCache::put(const std::string& path, const CacheEntry& entry) { entries_[key(path)] = entry; }

void HashCache::save(const std::string& path) const {
  std::vector<const std::pair<const std::string, CacheEntry>*> sorted;
  for (const auto& kv : entries_) sorted.push_back(&kv);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out(kMagic, 8);
  put_le(out, kVersion);
  put_le(out, uint32_t(kind_));
  put_le(out, uint64_t(sorted.size()));
  for (const auto* kv : sorted) {
    put_le(out, uint32_t(kv->first.size()));
    out += kv->first;
    put_le(out, kv->second.size);
    put_le(out, kv->second.mtime_ns);
    put_le(out, kv->second.content);
    for (uint64_t w : kv->second.hash.words) put_le(out, w);
    const Signature& s = kv->second.signature;
    put_le(out, uint32_t(s.views.size()));
    for (const ViewHash& v : s.views) {
      put_le(out, v.coarse);
      for (uint64_t w : v.fine) put_le(out, w);
    }
    for (uint8_t c : s.colour) put_le(out, c);
    put_le(out, uint8_t(s.mirror));
  }
  put_le(out, content_hash(reinterpret_cast<const uint8_t*>(out.data()), out.size()));
  write_file_atomic(path, out, true);
}

}  // namespace tiny::dataset
