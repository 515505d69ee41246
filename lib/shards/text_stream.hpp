#pragma once
// Text files (URL lists, path lists) read through libarchive's decompression filters: gzip, zstd, xz,
// bzip2 (and the other filters libarchive has) are recognised by their content, whatever the file's
// name; anything else is read as it is. "-" reads stdin the same way.
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

struct archive;

namespace tiny::shards {

class TextStream {
public:
  // Opens `path` ("-": stdin) and reads its first block; throws Error naming it if it cannot be opened
  // or its compressed data is corrupt.
  explicit TextStream(const std::string& path);
  ~TextStream();
  TextStream(const TextStream&) = delete;
  TextStream& operator=(const TextStream&) = delete;

  // The decompressed text; a read past corrupt compressed data throws Error naming the file.
  std::istream& stream() { return stream_; }
  // The compression found: "gzip", "zstd", "xz", "bzip2", … or "none".
  const std::string& compression() const { return compression_; }
  // The first decompressed bytes (up to 16), to recognise formats by their signature.
  const std::string& head() const { return head_; }

private:
  class Buffer : public std::streambuf {
  public:
    Buffer(archive* a, const std::string& origin) : archive_(a), origin_(origin), data_(1 << 16) {}
    // Up to `n` bytes from the read position, without consuming them (fewer only at the end of the data).
    std::string peek(size_t n);

  protected:
    int_type underflow() override;

  private:
    archive* archive_;
    const std::string& origin_;
    std::vector<char> data_;
  };

  std::string origin_, compression_, head_;
  archive* archive_ = nullptr;
  std::unique_ptr<Buffer> buffer_;
  std::istream stream_{nullptr};
};

}  // namespace tiny::shards
