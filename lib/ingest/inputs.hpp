#pragma once
// The input samples of an ingest run, read one at a time from a sequence of sources: URL lists
// (text, CSV, TSV, JSONL; gzip, zstd, xz or bzip2 compressed or not; "-" is stdin), local folders (images in sorted path order, captions from a sibling
// NAME.txt) and WebDataset tar shards (paths, file://, http(s):// or s3:// URLs, brace patterns
// allowed; streamed sample by sample: a local shard is never held whole, a remote one only compressed).
#include "core/file_io.hpp"
#include "net/fetch.hpp"
#include "ingest/url_list.hpp"
#include "shards/text_stream.hpp"
#include "shards/webdataset.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tiny::ingest {

// One input sample: a URL to fetch, or bytes already at hand (from a tar shard).
struct InputRecord {
  std::string url, caption;
  Json extra = Json::object();
  std::string error;  // the input could not describe this sample ("bad_input")
  size_t repaired = 0;  // bytes of its list line that were not UTF-8 and became U+FFFD
  Bytes data;
  bool has_data = false;
};

enum class InputKind { list, folder, tar };

// What an input argument names: a folder, tar shards (*.tar, *.tar.gz, brace patterns of them) or a URL list.
InputKind input_kind(const std::string& input);

class InputStream {
public:
  // Reads `inputs` in order; `format` ("" = by extension) and `columns` apply to URL lists; remote
  // tar shards are downloaded with `fetch`, up to `max_shard_bytes` each; a tar member may be as large
  // as a download (`fetch.max_bytes`), a sample twice that. Throws UsageError naming an
  // input that does not exist, has a refused scheme, or is a list without a url column.
  InputStream(std::vector<std::string> inputs, std::string format, ListColumns columns, net::FetchOptions fetch = {},
              uint64_t max_shard_bytes = 8ull << 30);
  // Reads the next sample; false when every input is exhausted. A caption (or JSONL line) that is not
  // UTF-8 has its bad bytes replaced by U+FFFD, is counted and (the first few) named in a warning with
  // its file and line.
  bool next(InputRecord& record);
  // Captions whose bad UTF-8 bytes were replaced so far.
  size_t repaired_captions() const { return captions_repaired_; }
  // Tar members refused so far (hostile paths, links, devices, oversized); each is logged as a warning.
  size_t rejected_members() const { return rejected_; }
  // Tar shards that could not be read to their end (corrupt, truncated, not downloadable), one
  // message each naming the shard; each is logged as a warning, and its samples before the damage are read.
  const std::vector<std::string>& input_errors() const { return input_errors_; }

private:
  bool next_record(InputRecord& record);
  void repair_caption(InputRecord& record);
  bool open_next();
  bool next_tar(InputRecord& record);
  bool open_tar();
  void close_tar();
  void damaged(const std::string& message);
  static InputRecord tar_record(const std::string& shard, shards::Sample&& s);
  Bytes download_shard(const std::string& url);

  std::vector<std::string> inputs_;
  std::string format_;
  ListColumns columns_;
  net::FetchOptions fetch_;
  size_t input_ = 0;
  std::unique_ptr<shards::TextStream> file_;
  std::unique_ptr<UrlListReader> list_;
  std::vector<std::string> files_;  // folder images or tar shards still to read
  size_t file_index_ = 0;
  bool tar_ = false;
  shards::ReadLimits tar_limits_;
  std::unique_ptr<shards::ShardReader> reader_;
  Bytes remote_;  // the compressed bytes of the remote shard reader_ reads
  size_t rejected_ = 0, captions_repaired_ = 0;
  std::vector<std::string> input_errors_;
};

}  // namespace tiny::ingest
