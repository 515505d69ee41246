#include "core/json_output.hpp"

#include "core/utf8.hpp"

namespace tiny {
namespace {

// A copy of `value` with every key and string made valid UTF-8 by escape_invalid_utf8.
nlohmann::json escaped(const nlohmann::json& value) {
  if (value.is_string()) return escape_invalid_utf8(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(escaped(item));
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[escape_invalid_utf8(it.key())] = escaped(it.value());
    return out;
  }
  return value;
}

}  // namespace

std::string dump_json(const nlohmann::json& value, int indent) {
  try {
    return value.dump(indent);
  } catch (const nlohmann::json::type_error&) {  // a string that is not UTF-8 (error 316)
    return escaped(value).dump(indent);
  }
}

}  // namespace tiny
