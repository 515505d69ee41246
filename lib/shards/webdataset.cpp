#include "shards/webdataset.hpp"

#include "core/error.hpp"
#include "shards/archive_walk.hpp"
#include "shards/keys.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

namespace tiny::shards {
namespace {

class Grouper {
public:
  Grouper(const std::string& origin, const SampleCallback& cb, const ReadLimits& limits, TarReport& report)
      : origin_(origin), cb_(cb), limits_(limits), report_(report) {}

  void reject(const std::string& member, const std::string& reason) {
    ++report_.rejected;
    if (report_.problems.size() < limits_.max_reported)
      report_.problems.push_back(fmt::format("{}: {}: {}", origin_, member, reason));
  }
  // Starts a new sample if `key` differs from the current one; false if the member would take
  // the sample over the byte limit (it is then rejected unread).
  bool make_room(const std::string& key, uint64_t size, const std::string& member) {
    if (!current_.files.empty() && key != current_.key) flush();
    if (current_bytes_ + size > limits_.max_sample_bytes) {
      reject(member, fmt::format("sample over the {}-byte limit", limits_.max_sample_bytes));
      return false;
    }
    return true;
  }
  void add(const std::string& key, const std::string& ext, Bytes&& data, const std::string& member) {
    current_.key = key;
    size_t size = data.size();
    if (!current_.files.emplace(ext, std::move(data)).second) reject(member, "duplicate member in sample");
    else current_bytes_ += size;
  }
  void flush() {
    if (current_.files.empty()) return;
    ++report_.samples;
    Sample s = std::move(current_);
    current_ = Sample();
    current_bytes_ = 0;
    cb_(std::move(s));
  }

private:
  const std::string& origin_;
  const SampleCallback& cb_;
  const ReadLimits& limits_;
  TarReport& report_;
  Sample current_;
  uint64_t current_bytes_ = 0;
};

// Reads the current entry's data into memory, or fails with the archive's message.
Bytes read_data(archive* a, uint64_t size, const std::string& origin) {
  Bytes data(size);
  size_t got = 0;
  while (got < size) {
    la_ssize_t n = archive_read_data(a, data.data() + got, size - got);
    if (n < 0) throw Error(file_error(origin, archive_message(a)));
    if (n == 0) break;
    got += size_t(n);
  }
  if (got != size) throw Error(file_error(origin, "truncated archive member"));
  return data;
}

TarReport read_all(archive* a, const std::string& origin, const SampleCallback& on_sample, const ReadLimits& limits) {
  TarReport report;
  Grouper grouper(origin, on_sample, limits, report);
  auto on_file = [&](const std::string& path, archive_entry* e) {
    std::string key, ext;
    if (!split_key(path, key, ext)) return grouper.reject(path, "no extension");
    int64_t size = archive_entry_size(e);
    if (size < 0 || uint64_t(size) > limits.max_member_bytes)
      return grouper.reject(path, fmt::format("member of {} bytes over the {}-byte limit", size, limits.max_member_bytes));
    if (grouper.make_room(key, uint64_t(size), path)) grouper.add(key, ext, read_data(a, uint64_t(size), origin), path);
  };
  WalkResult walk = walk_entries(a, on_file, [&](const std::string& path, const std::string& reason) {
    grouper.reject(path, reason);
  });
  if (!walk.error.empty()) throw Error(file_error(origin, walk.error));
  report.members = walk.entries;
  grouper.flush();
  return report;
}

}  // namespace

std::string unsafe_path_reason(const std::string& path) {
  if (path.empty()) return "empty path";
  if (path[0] == '/') return "absolute path";
  if (path.find('\\') != std::string::npos) return "backslash in path";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0 && end - start == 2) return "'..' component";
    start = end + 1;
  }
  for (unsigned char c : path)
    if (c < 0x20) return "control character in path";
  return "";
}

bool split_key(const std::string& path, std::string& key, std::string& extension) {
  size_t slash = path.rfind('/');
  size_t base = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = path.find('.', base);
  if (dot == std::string::npos || dot == base || dot + 1 == path.size()) return false;
  key = path.substr(0, dot);
  extension = path.substr(dot + 1);
  return true;
}

TarReport read_shard(const std::string& path, const SampleCallback& on_sample, const ReadLimits& limits) {
  ReadHandle a = new_reader();
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw Error(file_error(path, archive_message(a.get())));
  return read_all(a.get(), path, on_sample, limits);
}

TarReport read_shard(const uint8_t* data, size_t size, const std::string& origin, const SampleCallback& on_sample,
                     const ReadLimits& limits) {
  ReadHandle a = new_reader();
  if (archive_read_open_memory(a.get(), data, size) != ARCHIVE_OK)
    throw Error(file_error(origin, archive_message(a.get())));
  return read_all(a.get(), origin, on_sample, limits);
}

ShardWriter::ShardWriter(const std::string& path, bool overwrite) : path_(path), file_(path, overwrite) {
  archive_ = archive_write_new();
  if (!archive_) throw Error("libarchive: out of memory");
  archive_write_set_format_pax_restricted(archive_);
  archive_write_set_bytes_in_last_block(archive_, 1);
  if (archive_write_open_filename(archive_, file_.temp_path().c_str()) != ARCHIVE_OK) {
    std::string message = archive_message(archive_);
    archive_write_free(archive_);
    throw Error(file_error(path, message));
  }
}

ShardWriter::~ShardWriter() {
  if (archive_) archive_write_free(archive_);
}

void ShardWriter::add(const Sample& sample) {
  if (std::string why = key_error(sample.key); !why.empty()) throw Error(file_error(path_, why));
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
  for (const auto& [ext, data] : sample.files) {
    std::string name = sample.key + "." + ext;
    archive_entry_clear(e.get());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), la_int64_t(data.size()));
    archive_entry_set_mtime(e.get(), 0, 0);
    if (archive_write_header(archive_, e.get()) != ARCHIVE_OK ||
        (!data.empty() && archive_write_data(archive_, data.data(), data.size()) != la_ssize_t(data.size())))
      throw Error(file_error(path_, archive_message(archive_)));
    bytes_ += data.size();
  }
  ++samples_;
}

void ShardWriter::commit() {
  if (archive_write_close(archive_) != ARCHIVE_OK) throw Error(file_error(path_, archive_message(archive_)));
  archive_write_free(archive_);
  archive_ = nullptr;
  file_.commit();
}

ShardSeries::ShardSeries(std::function<std::string(size_t)> shard_path, size_t per_shard, bool overwrite)
    : shard_path_(std::move(shard_path)), per_shard_(per_shard), overwrite_(overwrite) {
  if (per_shard_ == 0) throw Error("a shard must hold at least one sample");
}

const std::string& ShardSeries::add(const Sample& sample) {
  if (!writer_ || writer_->samples() == per_shard_) {
    commit();
    path_ = shard_path_(next_shard_++);
    writer_ = std::make_unique<ShardWriter>(path_, overwrite_);
  }
  writer_->add(sample);
  return path_;
}

void ShardSeries::commit() {
  if (writer_) writer_->commit();
  writer_.reset();
}

}  // namespace tiny::shards
