#pragma once
// Cryptographic hashes of downloaded bytes, stored per sample (`tiny ingest --hash`) and checked
// against a column of the input list (`--verify-hash COLUMN`), as img2dataset users rely on.
#include "core/file_io.hpp"

#include <string>

namespace tiny::ingest {

enum class HashType { none, sha256, md5 };

// Parses "none", "sha256" or "md5"; throws UsageError otherwise.
HashType hash_type_from_name(const std::string& name);
// "none", "sha256" or "md5": also the key the hash has in a sample's JSON.
std::string hash_type_name(HashType type);
// The lower-case hex digest of `data` (empty for HashType::none).
std::string hex_digest(const Bytes& data, HashType type);
// "" if `expected` (any case, surrounding blanks ignored) is the hex digest `actual`; else why not.
std::string hash_mismatch(const std::string& expected, const std::string& actual);

}  // namespace tiny::ingest
