#include "shards/keys.hpp"

#include <fmt/format.h>

namespace tiny::shards {

std::string numbered_key(size_t index) { return fmt::format("{:09d}", index); }

std::string named_key(std::string_view name, size_t index) {
  std::string safe(name);
  for (char& c : safe)
    if (c == '.' || c == '/' || c == '\\') c = '_';
  return fmt::format("{}_{:06d}", safe, index);
}

std::string shard_stem(size_t index, std::string_view prefix) {
  return prefix.empty() ? fmt::format("{:05d}", index) : fmt::format("{}-{:05d}", prefix, index);
}

std::string key_error(std::string_view key) {
  if (key.empty()) return "empty sample key";
  size_t slash = key.rfind('/');
  std::string_view base = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (base.empty()) return fmt::format("sample key '{}' ends in '/'", key);
  if (base.find('.') != std::string_view::npos)
    return fmt::format("sample key '{}' holds a '.' (WebDataset would cut the key there)", key);
  return "";
}

}  // namespace tiny::shards
