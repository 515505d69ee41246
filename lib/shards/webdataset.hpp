#pragma once
// WebDataset tar shards: samples are runs of tar members sharing a key ("000000042.jpg",
// "000000042.txt", "000000042.json"). Writing goes to a temporary name renamed when the shard is
// complete; reading walks members in place (nothing is extracted) and refuses hostile members.
#include "core/file_io.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct archive;

namespace tiny::shards {

struct Sample {
  std::string key;                     // member path up to the first '.' of its last component
  std::map<std::string, Bytes> files;  // extension ("jpg", "txt", "json", "seg.png") -> bytes
};

// A shard being written; destroyed without commit(), it leaves nothing behind.
class ShardWriter {
public:
  // Opens a temporary file beside `path`; refuses an existing path unless overwrite.
  ShardWriter(const std::string& path, bool overwrite);
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Appends the sample's members, KEY.EXT each, in extension order; throws Error for a key that
  // shards::key_error refuses (one with a dot).
  void add(const Sample& sample);
  // Finishes the tar and renames it into place.
  void commit();
  // Samples added so far, and bytes of member data.
  size_t samples() const { return samples_; }
  uint64_t bytes() const { return bytes_; }

private:
  std::string path_;
  AtomicFile file_;
  archive* archive_ = nullptr;
  size_t samples_ = 0;
  uint64_t bytes_ = 0;
};

// Samples written across numbered shards: shard i at shard_path(i), a new one every `per_shard` samples.
class ShardSeries {
public:
  ShardSeries(std::function<std::string(size_t)> shard_path, size_t per_shard, bool overwrite);
  // Adds a sample, committing the full shard and opening the next first; returns the path of its shard.
  const std::string& add(const Sample& sample);
  // Commits the last, partly filled shard (nothing if no sample was added since the last commit).
  void commit();

private:
  std::function<std::string(size_t)> shard_path_;
  size_t per_shard_;
  bool overwrite_;
  size_t next_shard_ = 0;
  std::string path_;
  std::unique_ptr<ShardWriter> writer_;
};

struct ReadLimits {
  uint64_t max_member_bytes = 256ull << 20;  // larger members are skipped unread and reported
  uint64_t max_sample_bytes = 512ull << 20;  // members that would take a sample past this likewise
  size_t max_reported = 100;                 // problem lines kept (all are counted)
};

// What a read saw: members, samples and every member it refused.
struct TarReport {
  size_t members = 0, samples = 0, rejected = 0;
  std::vector<std::string> problems;  // "<origin>: <member>: <reason>", at most max_reported
};

// Reads a tar (optionally gzip/bzip2/xz/zstd compressed) sample by sample, pulling members only as
// far as the next sample needs: memory is at most two samples (each capped by max_sample_bytes) plus
// the decompressor's buffers, whatever the shard's size or compression ratio.
class ShardReader {
public:
  // Opens a file; throws Error naming it if it cannot be opened or is not an archive.
  explicit ShardReader(const std::string& path, const ReadLimits& limits = {});
  // Reads a tar held in memory (kept by the caller while reading); `origin` names it in messages.
  ShardReader(const uint8_t* data, size_t size, std::string origin, const ReadLimits& limits = {});
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  // The next sample; false at the end. Where the archive is corrupt or truncated, the samples
  // before the damage (members read whole) come first, then this throws Error naming the origin.
  bool next(Sample& sample);
  // Members, samples and refusals so far.
  const TarReport& report() const { return report_; }

private:
  void step();
  void reject(const std::string& member, const std::string& reason);
  void flush();
  void read_member(const std::string& path, int64_t size);

  struct ArchiveFree {
    void operator()(archive* a) const;
  };
  std::unique_ptr<archive, ArchiveFree> archive_;
  std::string origin_;
  ReadLimits limits_;
  TarReport report_;
  Sample current_;
  uint64_t current_bytes_ = 0;
  std::deque<Sample> ready_;
  std::string damage_;
  bool done_ = false;
};

using SampleCallback = std::function<void(Sample&&)>;

// Reads a whole shard file with ShardReader, handing each sample to `on_sample` in order.
// Throws Error naming the file if it is not a readable archive (after the samples before the damage).
TarReport read_shard(const std::string& path, const SampleCallback& on_sample, const ReadLimits& limits = {});
// The same for a tar held in memory; `origin` names it in the report and errors.
TarReport read_shard(const uint8_t* data, size_t size, const std::string& origin, const SampleCallback& on_sample,
                     const ReadLimits& limits = {});
// Why a member path may not be read ("absolute path", "'..' component", ...), or "" if it is fine.
std::string unsafe_path_reason(const std::string& path);
// Splits "dir/000001.seg.png" into key "dir/000001" and extension "seg.png"; false if no extension.
bool split_key(const std::string& path, std::string& key, std::string& extension);

}  // namespace tiny::shards
