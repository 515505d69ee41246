#include "shards/brace.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

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

// The alternatives of one group body: a numeric range "a..b" or a comma list.
std::vector<std::string> alternatives(const std::string& pattern, const std::string& body, size_t limit) {
  size_t dots = body.find("..");
  if (dots != std::string::npos && body.find(',') == std::string::npos) {
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
  if (parts.size() < 2) return {"{" + body + "}"};
  return parts;
}

void expand(const std::string& pattern, const std::string& s, size_t limit, std::vector<std::string>& out) {
  size_t open = s.find('{');
  if (open == std::string::npos) {
    if (s.find('}') != std::string::npos) fail(pattern, "unbalanced '}'");
    if (out.size() >= limit) fail(pattern, fmt::format("more than {} names", limit));
    out.push_back(s);
    return;
  }
  size_t close = matching_brace(s, open);
  if (close == std::string::npos) fail(pattern, "unbalanced '{'");
  std::string head = s.substr(0, open), tail = s.substr(close + 1);
  if (head.find('}') != std::string::npos) fail(pattern, "unbalanced '}'");
  std::vector<std::string> alts = alternatives(pattern, s.substr(open + 1, close - open - 1), limit);
  if (alts.size() == 1 && alts[0].front() == '{') {
    // "{x}" with no range or comma stays literal, as in the shell.
    std::vector<std::string> rest;
    expand(pattern, tail, limit, rest);
    for (auto& r : rest) {
      if (out.size() >= limit) fail(pattern, fmt::format("more than {} names", limit));
      out.push_back(head + alts[0] + r);
    }
    return;
  }
  for (const auto& alt : alts) expand(pattern, head + alt + tail, limit, out);
}

}  // namespace

std::vector<std::string> expand_braces(const std::string& pattern, size_t limit) {
  std::vector<std::string> out;
  expand(pattern, pattern, limit, out);
  return out;
}

}  // namespace tiny::shards
