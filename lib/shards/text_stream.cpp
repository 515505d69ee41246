#include "shards/text_stream.hpp"

#include "core/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>

namespace tiny::shards {
namespace {

std::string archive_problem(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unreadable";
}

}  // namespace

TextStream::Buffer::int_type TextStream::Buffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  la_ssize_t n = archive_read_data(archive_, data_.data(), data_.size());
  if (n < 0) throw Error(file_error(origin_, archive_problem(archive_)));
  if (n == 0) return traits_type::eof();
  setg(data_.data(), data_.data(), data_.data() + n);
  return traits_type::to_int_type(data_[0]);
}

std::string TextStream::Buffer::peek(size_t n) {
  if (underflow() == traits_type::eof()) return "";
  return std::string(gptr(), std::min<size_t>(n, egptr() - gptr()));
}

TextStream::TextStream(const std::string& path) : origin_(path == "-" ? "stdin" : path) {
  archive_ = archive_read_new();
  if (!archive_) throw Error(file_error(origin_, "out of memory"));
  archive_read_support_filter_all(archive_);
  archive_read_support_format_raw(archive_);
  archive_read_support_format_empty(archive_);
  int opened = path == "-" ? archive_read_open_fd(archive_, 0, 1 << 16)
                           : archive_read_open_filename(archive_, path.c_str(), 1 << 16);
  archive_entry* entry = nullptr;
  int header = opened == ARCHIVE_OK ? archive_read_next_header(archive_, &entry) : opened;
  if (header != ARCHIVE_OK && header != ARCHIVE_EOF) {
    std::string why = archive_problem(archive_);
    archive_read_free(archive_);
    throw Error(file_error(origin_, why));
  }
  const char* filter = archive_filter_count(archive_) > 1 ? archive_filter_name(archive_, 0) : nullptr;
  compression_ = filter ? filter : "none";
  buffer_ = std::make_unique<Buffer>(archive_, origin_);
  stream_.rdbuf(buffer_.get());
  if (header == ARCHIVE_EOF) return;  // an empty file
  try {
    head_ = buffer_->peek(16);
  } catch (...) {
    archive_read_free(archive_);
    throw;
  }
}

TextStream::~TextStream() { archive_read_free(archive_); }

}  // namespace tiny::shards
