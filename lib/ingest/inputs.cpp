#include "ingest/inputs.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"
#include "image/probe.hpp"
#include "shards/brace.hpp"
#include "shards/text_stream.hpp"
#include "shards/webdataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::ingest {
namespace {

constexpr size_t kCaptionWarnings = 10;  // repaired captions named in warnings; the rest are only counted

std::string strip_file_scheme(const std::string& s) { return s.rfind("file://", 0) == 0 ? s.substr(7) : s; }

bool is_image_member(const std::string& ext) {
  return image::format_from_name(ext) != image::Format::unknown;
}

std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

// Refuses a list in a format tiny does not read (Parquet, ZIP, binary data, …), naming the format.
void check_list_format(const std::string& input, const shards::TextStream& list) {
  std::string format = refused_list_format(input, list.head());
  if (format.empty()) return;
  throw UsageError(file_error(input == "-" ? "stdin" : input,
                              fmt::format("{} is not a URL list format tiny reads (use .txt, .csv, .tsv or .jsonl, "
                                          "optionally compressed with gzip, zstd, xz or bzip2)",
                                          format)));
}

}  // namespace

InputKind input_kind(const std::string& input) {
  std::string path = strip_file_scheme(input);
  std::error_code ec;
  if (fs::is_directory(path, ec)) return InputKind::folder;
  for (const char* ext : {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz"})
    if (ends_with(path, ext)) return InputKind::tar;
  return InputKind::list;
}

InputStream::InputStream(std::vector<std::string> inputs, std::string format, ListColumns columns,
                         net::FetchOptions fetch, uint64_t max_shard_bytes)
    : inputs_(std::move(inputs)), format_(std::move(format)), columns_(std::move(columns)), fetch_(std::move(fetch)) {
  tar_limits_.max_member_bytes = fetch_.max_bytes;
  tar_limits_.max_sample_bytes = 2 * fetch_.max_bytes;
  int stdin_lists = 0;
  fetch_.max_bytes = max_shard_bytes;
  fetch_.timeout = std::max(fetch_.timeout, 3600.0);
  for (const auto& in : inputs_) {
    InputKind kind = input_kind(in);
    if (kind == InputKind::tar) {
      std::string pattern = strip_file_scheme(in);
      if (pattern.find("://") != std::string::npos) {
        std::string problem = url_scheme_error(pattern);
        if (!problem.empty()) throw UsageError(fmt::format("{}: {}", in, problem));
        shards::expand_braces(pattern);
        continue;
      }
      for (const auto& p : shards::expand_braces(pattern))
        if (!fs::is_regular_file(p)) throw UsageError(file_error(p, "no such tar shard"));
    } else if (kind == InputKind::list && in == "-") {
      if (++stdin_lists > 1) throw UsageError("'-' (stdin) may be given only once");
    } else if (kind == InputKind::list && !fs::is_regular_file(strip_file_scheme(in))) {
      throw UsageError(file_error(in, "no such URL list, folder or tar shard"));
    } else if (kind == InputKind::list) {
      shards::TextStream list(strip_file_scheme(in));
      check_list_format(in, list);
    }
  }
  if (!format_.empty()) list_format_from_name(format_);
}

bool InputStream::open_next() {
  list_.reset();
  file_.reset();
  files_.clear();
  file_index_ = 0;
  tar_ = false;
  reader_.reset();
  if (input_ >= inputs_.size()) return false;
  const std::string& in = inputs_[input_++];
  std::string path = strip_file_scheme(in);
  switch (input_kind(in)) {
    case InputKind::folder: {
      for (const auto& e : fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied)) {
        if (!e.is_regular_file()) continue;
        std::string ext = e.path().extension().string();
        if (!ext.empty() && image::format_from_name(ext.substr(1)) != image::Format::unknown)
          files_.push_back(fs::absolute(e.path()).lexically_normal().string());
      }
      std::sort(files_.begin(), files_.end());
      break;
    }
    case InputKind::tar:
      files_ = shards::expand_braces(path);
      tar_ = true;
      break;
    case InputKind::list: {
      file_ = std::make_unique<shards::TextStream>(path);
      check_list_format(in, *file_);
      ListFormat f = format_.empty() ? list_format_from_path(path) : list_format_from_name(format_);
      list_ = std::make_unique<UrlListReader>(file_->stream(), path == "-" ? "stdin" : path, f, columns_);
      break;
    }
  }
  return true;
}

InputRecord InputStream::tar_record(const std::string& shard, shards::Sample&& s) {
  InputRecord r;
  r.url = shard + "#" + s.key;
  for (auto& [ext, bytes] : s.files) {
    if (ext == "txt") r.caption = text_of(bytes);
    else if (ext == "json") {
      Json j = parse_json_or_discard(text_of(bytes), r.url);
      if (j.is_object()) r.extra = std::move(j);
    } else if (is_image_member(ext) && !r.has_data) {
      r.data = std::move(bytes);
      r.has_data = true;
    }
  }
  if (!r.has_data) r.error = fmt::format("{}: sample '{}' has no image member", shard, escape_control(s.key));
  return r;
}

bool InputStream::open_tar() {
  if (file_index_ >= files_.size()) return false;
  const std::string& shard = files_[file_index_++];
  remote_ = Bytes();
  try {
    if (shard.find("://") == std::string::npos) {
      reader_ = std::make_unique<shards::ShardReader>(shard, tar_limits_);
    } else {
      remote_ = download_shard(shard);
      reader_ = std::make_unique<shards::ShardReader>(remote_.data(), remote_.size(), shard, tar_limits_);
    }
  } catch (const Error& e) {
    damaged(e.what());
  }
  return true;
}

void InputStream::damaged(const std::string& message) {
  log::warn("{}", message);
  input_errors_.push_back(message);
}

void InputStream::close_tar() {
  rejected_ += reader_->report().rejected;
  for (const auto& p : reader_->report().problems) log::warn("{}", p);
  reader_.reset();
}

bool InputStream::next_tar(InputRecord& record) {
  for (;;) {
    if (!reader_ && !open_tar()) return false;
    if (!reader_) continue;
    shards::Sample s;
    try {
      if (reader_->next(s)) {
        record = tar_record(files_[file_index_ - 1], std::move(s));
        return true;
      }
      close_tar();
    } catch (const Error& e) {
      close_tar();
      damaged(fmt::format("{} (the samples before the damage were kept)", e.what()));
    }
  }
}

Bytes InputStream::download_shard(const std::string& url) {
  net::Fetcher fetcher(fetch_);
  fetcher.add(0, url);
  std::vector<net::FetchResult> done;
  while (fetcher.pending() > 0) fetcher.poll(done, 50);
  if (!done[0].reason.empty()) throw Error(fmt::format("{}: cannot download the tar shard: {}", url, done[0].error));
  return std::move(done[0].body);
}

void InputStream::repair_caption(InputRecord& record) {
  size_t replaced = record.repaired;
  record.caption = replace_invalid_utf8(record.caption, &replaced);
  if (replaced == 0) return;
  ++captions_repaired_;
  std::string where = list_ ? fmt::format("{}: line {}", list_->origin(), list_->line()) : record.url;
  if (captions_repaired_ <= kCaptionWarnings)
    log::warn("{}: the {} is not UTF-8: {} bytes replaced by U+FFFD{}", escape_invalid_utf8(where),
              record.repaired ? "line" : "caption", replaced,
              captions_repaired_ == kCaptionWarnings ? " (further repairs are only counted)" : "");
}

bool InputStream::next(InputRecord& record) {
  if (!next_record(record)) return false;
  repair_caption(record);
  return true;
}

bool InputStream::next_record(InputRecord& record) {
  for (;;) {
    record = InputRecord();
    if (list_) {
      UrlRecord r;
      if (list_->next(r)) {
        record.url = std::move(r.url);
        record.caption = std::move(r.caption);
        record.extra = std::move(r.extra);
        record.error = std::move(r.error);
        record.repaired = r.repaired;
        return true;
      }
    } else if (tar_) {
      if (next_tar(record)) return true;
    } else if (file_index_ < files_.size()) {
      const std::string& path = files_[file_index_++];
      record.url = "file://" + path;
      fs::path caption = fs::path(path).replace_extension(".txt");
      std::error_code ec;
      if (fs::is_regular_file(caption, ec)) record.caption = read_text_file(caption.string());
      return true;
    }
    if (!open_next()) return false;
  }
}

}  // namespace tiny::ingest
