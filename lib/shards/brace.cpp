#include "shards/brace.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tiny::shards {
namespace {

[[noreturn]] void fail(const std::string& pattern, const std::string& problem) {
  throw UsageError(fmt::format("shard pattern '{}': {}", pattern, problem));
}

// Index of the brace closing the one at `open`, or npos.
size_t matching_brace(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
  }
  return std::string::npos;
}

// Splits a group's body at top-level commas.
std::vector<std::string> split_top_level(const std::string& body) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (char c : body) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  return parts;
}

bool all_digits(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

constexpr int kMaxNesting = 32;
constexpr size_t kMaxPatternLength = 4096;  // PATH_MAX: no shard name or URL pattern is longer

std::vector<std::string> expand(const std::string& pattern, const std::string& s, size_t limit, int depth);

// The alternatives of one group body: a numeric range "a..b", a comma list (each part expanded), or,
// with neither, the body kept in its braces as the shell does ("{x}" stays literal).
std::vector<std::string> alternatives(const std::string& pattern, const std::string& body, size_t limit, int depth) {
  size_t dots = body.find("..");
  if (dots != std::string::npos && body.find(',') == std::string::npos && body.find('{') == std::string::npos) {
    std::string lo = body.substr(0, dots), hi = body.substr(dots + 2);
    if (!all_digits(lo) || !all_digits(hi)) fail(pattern, fmt::format("bad range '{{{}}}'", body));
    long long a = std::stoll(lo), b = std::stoll(hi);
    if (b < a) fail(pattern, fmt::format("range '{{{}}}' runs backwards", body));
    if (static_cast<unsigned long long>(b - a) >= limit) fail(pattern, fmt::format("more than {} names", limit));
    size_t width = (lo.size() > 1 && lo[0] == '0') || (hi.size() > 1 && hi[0] == '0') ? std::max(lo.size(), hi.size()) : 0;
    std::vector<std::string> out;
    for (long long v = a; v <= b; ++v) out.push_back(fmt::format("{:0{}}", v, width));
    return out;
  }
  std::vector<std::string> parts = split_top_level(body);
  std::vector<std::string> out;
  if (parts.size() < 2) {
    for (auto& name : expand(pattern, body, limit, depth + 1)) out.push_back("{" + name + "}");
    return out;
  }
  for (const auto& part : parts) {
    std::vector<std::string> names = expand(pattern, part, limit, depth + 1);
    if (names.size() > limit - out.size()) fail(pattern, fmt::format("more than {} names", limit));
    for (auto& name : names) out.push_back(std::move(name));
  }
  return out;
}

// Expands `s` left to right: literal text and single alternatives are appended in place, a group of
// several alternatives multiplies the names, which never exceed `limit` (so memory stays within
// limit x the pattern's length, whatever the pattern).
std::vector<std::string> expand(const std::string& pattern, const std::string& s, size_t limit, int depth) {
  if (depth > kMaxNesting) fail(pattern, fmt::format("braces nested deeper than {}", kMaxNesting));
  std::vector<std::string> names(1);
  size_t pos = 0;
  while (true) {
    size_t open = s.find('{', pos);
    std::string literal = s.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
    if (literal.find('}') != std::string::npos) fail(pattern, "unbalanced '}'");
    for (auto& name : names) name += literal;
    if (open == std::string::npos) return names;
    size_t close = matching_brace(s, open);
    if (close == std::string::npos) fail(pattern, "unbalanced '{'");
    std::vector<std::string> alts = alternatives(pattern, s.substr(open + 1, close - open - 1), limit, depth);
    if (alts.size() > limit / names.size()) fail(pattern, fmt::format("more than {} names", limit));
    if (alts.size() == 1) {
      for (auto& name : names) name += alts[0];
    } else {
      std::vector<std::string> product;
      product.reserve(names.size() * alts.size());
      for (const auto& name : names)
        for (const auto& alt : alts) product.push_back(name + alt);
      names = std::move(product);
    }
    pos = close + 1;
  }
}

}  // namespace

std::vector<std::string> expand_braces(const std::string& pattern, size_t limit) {
  if (pattern.size() > kMaxPatternLength)
    fail(pattern.substr(0, 64) + "...", fmt::format("longer than {} characters", kMaxPatternLength));
  return expand(pattern, pattern, limit, 0);
}

}  // namespace tiny::shards
