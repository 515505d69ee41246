#pragma once
// Entry points of the fuzz targets for the remaining input parsers (compressed tar shards, the
// torch zip container, image headers and EXIF, the hash cache, HTTP header values and S3 URLs),
// shared by the libFuzzer executables and the corpus replay in ctest.
#include <cstddef>
#include <cstdint>

namespace tiny::fuzz {

// Reads the bytes as a (possibly gzip/bzip2/xz/zstd compressed) tar shard, sample by sample.
void fuzz_shard_one(const uint8_t* data, size_t size);
// Checks the bytes as the zip container of a torch checkpoint.
void fuzz_zip_one(const uint8_t* data, size_t size);
// Probes the bytes as an image header (every format) and parses them as an EXIF block.
void fuzz_image_one(const uint8_t* data, size_t size);
// Loads the bytes, with their checksum appended, as a hash cache file.
void fuzz_hash_cache_one(const uint8_t* data, size_t size);
// Parses each line as a Retry-After value, an X-Robots-Tag value and an s3:// or http URL.
void fuzz_http_one(const uint8_t* data, size_t size);

}  // namespace tiny::fuzz
