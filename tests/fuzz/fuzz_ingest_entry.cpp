#include "fuzz_ingest_entry.hpp"

#include "core/error.hpp"
#include "ingest/url_list.hpp"
#include "shards/brace.hpp"
#include "shards/webdataset.hpp"

#include <sstream>

namespace tiny::fuzz {

void fuzz_ingest_one(const uint8_t* data, size_t size) {
  shards::ReadLimits limits;
  limits.max_member_bytes = 1 << 16;
  try {
    shards::read_shard(data, size, "fuzz.tar", [](shards::Sample&&) {}, limits);
  } catch (const Error&) {
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  for (auto format : {ingest::ListFormat::text, ingest::ListFormat::csv, ingest::ListFormat::tsv,
                      ingest::ListFormat::jsonl}) {
    std::istringstream in(text);
    try {
      ingest::UrlListReader reader(in, "fuzz.list", format, {}, 256);
      ingest::UrlRecord record;
      while (reader.next(record)) ingest::url_scheme_error(record.url);
    } catch (const Error&) {
    }
  }
  try {
    shards::expand_braces(text.substr(0, text.find('\n')), 1000);
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
