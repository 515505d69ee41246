#include "core/json_file.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"

#include <algorithm>

namespace tiny {

Json parse_json(const std::string& text, const std::string& origin) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    auto colon = what.rfind(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    throw UsageError(file_error(origin, "invalid JSON at line " + std::to_string(line) + " column " +
                                            std::to_string(column) + ": " + detail));
  }
}

Json read_json_file(const std::string& path) { return parse_json(read_text_file(path), path); }

void check_known_keys(const Json& object, const std::vector<std::string>& known, const std::string& origin) {
  if (!object.is_object()) throw UsageError(file_error(origin, "expected a JSON object"));
  for (const auto& item : object.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw UsageError(file_error(origin, "unknown key '" + item.key() + "' (known keys: " + list + ")"));
    }
  }
}

}  // namespace tiny
