#include "core/json_file.hpp"

#include "core/error.hpp"
#include "core/file_io.hpp"

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace tiny {

namespace {

// Where byte `offset` of `text` is, as "line L column C".
std::string position(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i + 1 < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column);
}

// Refuses nesting deeper than kMaxJsonDepth and repeated keys while the parser reads (before the deep
// document exists).
class StructureCheck {
public:
  explicit StructureCheck(const std::string& origin) : origin_(origin) {}
  bool operator()(int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxJsonDepth)
      throw UsageError(file_error(origin_, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    if (event == Json::parse_event_t::object_start) keys_.emplace_back();
    if (event == Json::parse_event_t::object_end && !keys_.empty()) keys_.pop_back();
    if (event == Json::parse_event_t::key && !keys_.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!keys_.back().insert(key).second)
        throw UsageError(file_error(origin_, "JSON key '" + key + "' appears twice in one object"));
    }
    return true;
  }

private:
  const std::string& origin_;
  std::vector<std::unordered_set<std::string>> keys_;
};

}  // namespace

Json parse_json(std::string_view text, const std::string& origin) {
  try {
    StructureCheck check(origin);
    return Json::parse(text, std::ref(check));
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    auto colon = what.rfind(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    throw UsageError(file_error(origin, "invalid JSON at " + position(text, e.byte) + ": " + detail));
  } catch (const Json::exception& e) {  // e.g. a number too large for a double (1e999)
    std::string what = e.what();
    auto bracket = what.find("] ");
    throw UsageError(file_error(origin, "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))));
  }
}

Json parse_json_or_discard(std::string_view text, const std::string& origin, std::string* why) {
  try {
    return parse_json(text, origin);
  } catch (const UsageError& e) {
    if (why) *why = e.what();
    return Json(Json::value_t::discarded);
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
