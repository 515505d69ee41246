#pragma once
// Reading JSON files with errors that name the file, the line and the key.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiny {

using Json = nlohmann::json;

// Parses a JSON file; throws UsageError "<path>: invalid JSON at line L column C: ..." on bad syntax.
Json read_json_file(const std::string& path);
// Parses JSON text; `origin` names where it came from in error messages.
Json parse_json(const std::string& text, const std::string& origin);
// Throws UsageError naming `origin` and the key if `object` has a key not in `known`.
void check_known_keys(const Json& object, const std::vector<std::string>& known, const std::string& origin);

}  // namespace tiny
