#include "ingest/url_list.hpp"

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::ingest {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The extension of the last component of `path`, lower-cased ("" if none).
std::string extension_of(const std::string& path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return lower(path.substr(dot + 1));
}

}  // namespace

std::string without_compression_suffix(const std::string& path) {
  std::string ext = extension_of(path);
  if (ext == "gz" || ext == "zst" || ext == "zstd" || ext == "xz" || ext == "bz2") return path.substr(0, path.rfind('.'));
  return path;
}

std::string refused_list_format(const std::string& path, std::string_view head) {
  static const std::pair<const char*, const char*> by_extension[] = {
      {"parquet", "Parquet"}, {"arrow", "Arrow"}, {"feather", "Arrow"}, {"orc", "ORC"},    {"avro", "Avro"},
      {"xlsx", "Excel"},      {"xls", "Excel"},   {"zip", "ZIP"},       {"7z", "7-Zip"},   {"rar", "RAR"}};
  std::string ext = extension_of(without_compression_suffix(path));
  for (const auto& [e, name] : by_extension)
    if (ext == e) return name;
  static const std::pair<std::string_view, const char*> by_signature[] = {
      {"PAR1", "Parquet"}, {"ARROW1", "Arrow"},        {"Obj\x01", "Avro"},
      {"PK\x03\x04", "ZIP"}, {"7z\xBC\xAF", "7-Zip"}, {"Rar!", "RAR"}, {"\xD0\xCF\x11\xE0", "Excel"}};
  for (const auto& [magic, name] : by_signature)
    if (head.substr(0, magic.size()) == magic) return name;
  if (head.find('\0') != std::string_view::npos) return "binary data";
  return "";
}

ListFormat list_format_from_name(const std::string& name) {
  std::string n = lower(name);
  if (n == "txt" || n == "text") return ListFormat::text;
  if (n == "csv") return ListFormat::csv;
  if (n == "tsv") return ListFormat::tsv;
  if (n == "jsonl" || n == "json" || n == "ndjson") return ListFormat::jsonl;
  throw UsageError(fmt::format("unknown URL list format '{}' (expected txt, csv, tsv or jsonl)", name));
}

ListFormat list_format_from_path(const std::string& path) {
  std::string ext = extension_of(without_compression_suffix(path));
  if (ext == "csv" || ext == "tsv" || ext == "jsonl" || ext == "json" || ext == "ndjson") return list_format_from_name(ext);
  return ListFormat::text;
}

std::string url_scheme_error(const std::string& url) {
  size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0) return "not a URL (no scheme://)";
  std::string scheme = lower(url.substr(0, sep));
  if (scheme == "http" || scheme == "https" || scheme == "s3" || scheme == "file") return "";
  return fmt::format("unsupported scheme '{}' (only http, https, s3 and file)", scheme.substr(0, 32));
}

std::vector<std::string> split_fields(const std::string& line, char delimiter, bool& open_quote) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  bool quoting = delimiter == ',';
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && quoting && fields.back().empty()) {
      quoted = true;
    } else if (c == delimiter) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  open_quote = quoted;
  return fields;
}

UrlListReader::UrlListReader(std::istream& in, std::string origin, ListFormat format, ListColumns columns,
                             size_t max_line)
    : in_(in), origin_(std::move(origin)), format_(format), columns_(std::move(columns)), max_line_(max_line) {
  if (format_ != ListFormat::csv && format_ != ListFormat::tsv) return;
  delimiter_ = format_ == ListFormat::csv ? ',' : '\t';
  std::string line;
  bool too_long = false, open_quote = false;
  if (!read_line(line, too_long) || too_long) throw UsageError(file_error(origin_, "no header line"));
  header_ = split_fields(line, delimiter_, open_quote);
  for (size_t i = 0; i < header_.size(); ++i) {
    header_[i] = trim(header_[i]);
    if (header_[i] == columns_.url) url_index_ = int(i);
    if (header_[i] == columns_.caption) caption_index_ = int(i);
  }
  if (url_index_ < 0) throw UsageError(file_error(origin_, fmt::format("no '{}' column in the header", columns_.url)));
}

bool UrlListReader::read_line(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* buf = in_.rdbuf();
  int c = buf->sbumpc();
  if (c == std::char_traits<char>::eof()) return false;
  while (c != std::char_traits<char>::eof() && c != '\n') {
    if (line.size() < max_line_) line += char(c);
    else too_long = true;
    c = buf->sbumpc();
  }
  ++line_;
  return true;
}

bool UrlListReader::next(UrlRecord& record) {
  record = UrlRecord();
  if (format_ == ListFormat::jsonl) return next_jsonl(record);
  if (format_ != ListFormat::text) return next_delimited(record);
  std::string line;
  bool too_long = false;
  do {
    if (!read_line(line, too_long)) return false;
  } while (!too_long && trim(line).empty());
  if (too_long) record.error = fmt::format("{}: line {}: longer than {} bytes", origin_, line_, max_line_);
  else record.url = trim(line);
  return true;
}

bool UrlListReader::next_delimited(UrlRecord& record) {
  std::string line, more;
  bool too_long = false;
  do {
    if (!read_line(line, too_long)) return false;
  } while (!too_long && trim(line).empty());
  size_t first_line = line_;
  bool open_quote = false;
  std::vector<std::string> fields = split_fields(line, delimiter_, open_quote);
  while (open_quote && !too_long && line.size() < max_line_ && read_line(more, too_long)) {
    line += '\n' + more;
    fields = split_fields(line, delimiter_, open_quote);
  }
  if (too_long || line.size() > max_line_ || open_quote) {
    record.error = fmt::format("{}: line {}: {}", origin_, first_line,
                               open_quote ? "unterminated quoted field" : "record too long");
    return true;
  }
  if (size_t(url_index_) >= fields.size()) {
    record.error = fmt::format("{}: line {}: no '{}' field", origin_, first_line, columns_.url);
    return true;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (int(i) == url_index_) record.url = trim(fields[i]);
    else if (int(i) == caption_index_) record.caption = fields[i];
    else if (i < header_.size() && !header_[i].empty()) record.extra[header_[i]] = fields[i];
  }
  return true;
}

bool UrlListReader::next_jsonl(UrlRecord& record) {
  std::string line;
  bool too_long = false;
  do {
    if (!read_line(line, too_long)) return false;
  } while (!too_long && trim(line).empty());
  if (too_long) {
    record.error = fmt::format("{}: line {}: longer than {} bytes", origin_, line_, max_line_);
    return true;
  }
  line = replace_invalid_utf8(line, &record.repaired);  // JSON text must be UTF-8: a Latin-1 caption is repaired
  std::string why;
  Json j = parse_json_or_discard(line, origin_, &why);
  if (j.is_discarded() || !j.is_object()) {
    record.error = j.is_discarded() ? fmt::format("{} (line {})", why, line_)
                                    : fmt::format("{}: line {}: not a JSON object", origin_, line_);
    return true;
  }
  auto url = j.find(columns_.url);
  if (url == j.end() || !url->is_string()) {
    record.error = fmt::format("{}: line {}: no string '{}' field", origin_, line_, columns_.url);
    return true;
  }
  record.url = trim(url->get<std::string>());
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == columns_.url) continue;
    if (it.key() == columns_.caption && it->is_string()) record.caption = it->get<std::string>();
    else record.extra[it.key()] = *it;
  }
  return true;
}

}  // namespace tiny::ingest
