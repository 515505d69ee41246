#pragma once
// Streaming readers of URL lists: plain text (one URL a line), CSV and TSV with a header naming the
// url and caption columns, and JSONL (one object a line). Lines are read one at a time with a length
// cap, so memory stays bounded whatever the list's size. Columns other than url and caption are
// carried as "extra" JSON into each sample.
#include "core/json_file.hpp"

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tiny::ingest {

enum class ListFormat { text, csv, tsv, jsonl };

struct ListColumns {
  std::string url = "url", caption = "caption";
};

// One input sample as a list names it. A record the list could not describe carries `error`.
struct UrlRecord {
  std::string url, caption;
  Json extra = Json::object();
  std::string error;  // e.g. "line 7: no url column"; the sample fails with reason "bad_input"
  size_t repaired = 0;  // JSONL: bytes of the line that were not UTF-8, replaced by U+FFFD before parsing
};

// Parses "txt", "csv", "tsv" or "jsonl" (also "json" and "ndjson"); throws UsageError otherwise.
ListFormat list_format_from_name(const std::string& name);
// The format a file's extension implies ("urls.csv" -> csv, ".txt" or none -> text).
ListFormat list_format_from_path(const std::string& path);
// `path` without a compression suffix: "urls.csv.gz" -> "urls.csv" (also .zst, .zstd, .xz, .bz2).
std::string without_compression_suffix(const std::string& path);
// The name of a format tiny does not read as a URL list ("Parquet", "ZIP", "binary data", …), known by
// the file's extension or by its first decompressed bytes `head`; "" if it may be a list.
std::string refused_list_format(const std::string& path, std::string_view head);
// "" if the URL's scheme is http, https, s3 or file; otherwise why it is refused.
std::string url_scheme_error(const std::string& url);

class UrlListReader {
public:
  // Reads from `in` (kept alive by the caller); `origin` names it in errors. Reads the header of
  // CSV/TSV now and throws UsageError naming `origin` if it lacks the url column.
  UrlListReader(std::istream& in, std::string origin, ListFormat format, ListColumns columns = {},
                size_t max_line = 1 << 20);
  // Reads the next record; false at the end of the list.
  bool next(UrlRecord& record);
  // The list's name, and the number of the last line read (the last line of the last record).
  const std::string& origin() const { return origin_; }
  size_t line() const { return line_; }

private:
  bool read_line(std::string& line, bool& too_long);
  bool next_delimited(UrlRecord& record);
  bool next_jsonl(UrlRecord& record);

  std::istream& in_;
  std::string origin_;
  ListFormat format_;
  ListColumns columns_;
  size_t max_line_, line_ = 0;
  char delimiter_ = ',';
  std::vector<std::string> header_;
  int url_index_ = -1, caption_index_ = -1;
};

// Splits one CSV/TSV record into fields (RFC 4180 quoting when delimiter is ','); sets `open_quote`
// if the record ends inside a quoted field (the caller appends the next line and parses again).
std::vector<std::string> split_fields(const std::string& line, char delimiter, bool& open_quote);

}  // namespace tiny::ingest
