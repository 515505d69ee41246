#pragma once
// Reading JSON files with errors that name the file, the line and the key.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tiny {

using Json = nlohmann::json;

// Nesting deeper than this is refused: deeper documents come only from hostile input, and copying or
// printing them would recurse past the stack.
constexpr int kMaxJsonDepth = 128;

// Parses a JSON file; throws UsageError "<path>: invalid JSON at line L column C: ..." on bad syntax,
// nesting deeper than kMaxJsonDepth or a key repeated within one object.
Json read_json_file(const std::string& path);
// Parses JSON text with the same checks; `origin` names where it came from in error messages.
Json parse_json(std::string_view text, const std::string& origin);
// The same for outside data read record by record: a discarded value (is_discarded()) instead of an
// exception, the reason in *why when given.
Json parse_json_or_discard(std::string_view text, const std::string& origin, std::string* why = nullptr);
// Throws UsageError naming `origin` and the key if `object` has a key not in `known`.
void check_known_keys(const Json& object, const std::vector<std::string>& known, const std::string& origin);

}  // namespace tiny
