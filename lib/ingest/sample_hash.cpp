#include "ingest/sample_hash.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>

namespace tiny::ingest {

HashType hash_type_from_name(const std::string& name) {
  if (name == "none") return HashType::none;
  if (name == "sha256") return HashType::sha256;
  if (name == "md5") return HashType::md5;
  throw UsageError(fmt::format("unknown hash '{}' (expected none, sha256 or md5)", name));
}

std::string hash_type_name(HashType type) {
  switch (type) {
    case HashType::sha256: return "sha256";
    case HashType::md5: return "md5";
    case HashType::none: break;
  }
  return "none";
}

std::string hex_digest(const Bytes& data, HashType type) {
  if (type == HashType::none) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(data.data(), data.size(), digest, &length, type == HashType::sha256 ? EVP_sha256() : EVP_md5(),
                  nullptr))
    throw Error("OpenSSL could not compute a " + hash_type_name(type) + " digest");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string hash_mismatch(const std::string& expected, const std::string& actual) {
  std::string e = expected;
  e.erase(0, e.find_first_not_of(" \t\r\n"));
  e.erase(e.find_last_not_of(" \t\r\n") + 1);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (e.empty()) return "no expected hash in the list";
  if (e == actual) return "";
  return fmt::format("the data's hash {} is not the list's {}", actual, e.substr(0, 128));
}

}  // namespace tiny::ingest
