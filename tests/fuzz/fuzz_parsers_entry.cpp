#include "fuzz_parsers_entry.hpp"

#include "fuzz_scratch_file.hpp"

#include "convert/zip_check.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "dataset/content_hash.hpp"
#include "dataset/hash_cache.hpp"
#include "image/byte_reader.hpp"
#include "image/exif.hpp"
#include "image/probe.hpp"
#include "net/fetch.hpp"
#include "ingest/url_list.hpp"
#include "shards/webdataset.hpp"

#include <sstream>
#include <string>

namespace tiny::fuzz {

void fuzz_shard_one(const uint8_t* data, size_t size) {
  shards::ReadLimits limits;
  limits.max_member_bytes = 1 << 16;
  limits.max_sample_bytes = 1 << 17;
  try {
    shards::ShardReader reader(data, size, "fuzz.tar.gz", limits);
    shards::Sample sample;
    while (reader.next(sample)) {
    }
  } catch (const Error&) {
  }
}

void fuzz_zip_one(const uint8_t* data, size_t size) {
  try {
    convert::check_stored_zip(data, size, "fuzz.pth");
  } catch (const Error&) {
  }
}

void fuzz_image_one(const uint8_t* data, size_t size) {
  try {
    image::ImageInfo info = image::probe_image(data, size, "fuzz.img");
    (void)info.display_width();
  } catch (const Error&) {
  }
  try {
    image::exif_orientation(data, size);
  } catch (const image::detail::OutOfData&) {
  }
}

void fuzz_hash_cache_one(const uint8_t* data, size_t size) {
  Bytes file(data, data + size);
  uint64_t sum = dataset::content_hash(file.data(), file.size());
  for (int i = 0; i < 8; ++i) file.push_back(uint8_t(sum >> (8 * i)));
  const ScratchFile scratch("hash-cache.bin", file.data(), file.size());
  for (auto kind : {dataset::HashKind::phash, dataset::HashKind::dhash}) {
    try {
      dataset::HashCache::load(scratch.path(), kind);
    } catch (const Error&) {
    }
  }
}

void fuzz_http_one(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  net::FetchOptions options;
  std::string line;
  for (int i = 0; i < 64 && std::getline(in, line); ++i) {
    net::retry_after_seconds(line);
    net::robots_opt_out(line, options.opt_out);
    ingest::url_scheme_error(line);
    if (line.rfind("s3://", 0) == 0) {
      net::s3_http_url(line, options);
      options.s3_endpoint = line.substr(5);
      net::s3_http_url(line, options);
      options.s3_endpoint.clear();
    }
  }
}

}  // namespace tiny::fuzz
