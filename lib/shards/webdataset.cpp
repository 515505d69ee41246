#include "shards/webdataset.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "shards/archive_walk.hpp"
#include "shards/keys.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <utility>

namespace tiny::shards {
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

void ShardReader::ArchiveFree::operator()(archive* a) const { archive_read_free(a); }

ShardReader::ShardReader(const std::string& path, const ReadLimits& limits)
    : archive_(new_reader().release()), origin_(path), limits_(limits) {
  if (archive_read_open_filename(archive_.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw Error(file_error(path, archive_message(archive_.get())));
}

ShardReader::ShardReader(const uint8_t* data, size_t size, std::string origin, const ReadLimits& limits)
    : archive_(new_reader().release()), origin_(std::move(origin)), limits_(limits) {
  if (archive_read_open_memory(archive_.get(), data, size) != ARCHIVE_OK)
    throw Error(file_error(origin_, archive_message(archive_.get())));
}

ShardReader::~ShardReader() = default;

bool ShardReader::next(Sample& sample) {
  while (ready_.empty() && !done_) step();
  if (!ready_.empty()) {
    sample = std::move(ready_.front());
    ready_.pop_front();
    ++report_.samples;
    return true;
  }
  if (!damage_.empty()) throw Error(file_error(origin_, std::exchange(damage_, "")));
  return false;
}

void ShardReader::reject(const std::string& member, const std::string& reason) {
  ++report_.rejected;
  if (report_.problems.size() < limits_.max_reported)
    report_.problems.push_back(fmt::format("{}: {}: {}", origin_, escape_control(member), reason));
}

void ShardReader::flush() {
  if (current_.files.empty()) return;
  ready_.push_back(std::move(current_));
  current_ = Sample();
  current_bytes_ = 0;
}

void ShardReader::step() {
  Entry e = next_entry(archive_.get());
  if (e.kind == EntryKind::end || e.kind == EntryKind::error) {
    flush();
    damage_ = e.reason;
    done_ = true;
    return;
  }
  ++report_.members;
  if (e.kind == EntryKind::refused) return reject(e.path, e.reason);
  read_member(e.path, archive_entry_size(e.entry));
}

void ShardReader::read_member(const std::string& path, int64_t size) {
  std::string key, ext;
  if (!split_key(path, key, ext)) return reject(path, "no extension");
  if (size < 0 || uint64_t(size) > limits_.max_member_bytes)
    return reject(path, fmt::format("member of {} bytes over the {}-byte limit", size, limits_.max_member_bytes));
  if (key != current_.key) flush();
  if (current_bytes_ + uint64_t(size) > limits_.max_sample_bytes)
    return reject(path, fmt::format("sample over the {}-byte limit", limits_.max_sample_bytes));
  Bytes data(static_cast<size_t>(size));
  size_t got = 0;
  while (got < data.size()) {
    la_ssize_t n = archive_read_data(archive_.get(), data.data() + got, data.size() - got);
    if (n <= 0) {
      flush();
      damage_ = n < 0 ? archive_message(archive_.get()) : fmt::format("truncated archive member {}", escape_control(path));
      done_ = true;
      return;
    }
    got += size_t(n);
  }
  current_.key = key;
  if (!current_.files.emplace(ext, std::move(data)).second) return reject(path, "duplicate member in sample");
  current_bytes_ += uint64_t(size);
}

namespace {

TarReport read_all(ShardReader& reader, const SampleCallback& on_sample) {
  Sample s;
  while (reader.next(s)) on_sample(std::move(s));
  return reader.report();
}

}  // namespace

TarReport read_shard(const std::string& path, const SampleCallback& on_sample, const ReadLimits& limits) {
  ShardReader reader(path, limits);
  return read_all(reader, on_sample);
}

TarReport read_shard(const uint8_t* data, size_t size, const std::string& origin, const SampleCallback& on_sample,
                     const ReadLimits& limits) {
  ShardReader reader(data, size, origin, limits);
  return read_all(reader, on_sample);
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
