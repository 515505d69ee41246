#pragma once
// Writing JSON that may hold strings from outside (file names, URLs, member names): JSON text must be
// UTF-8, so any string that is not has its bad bytes escaped as \xNN (core/utf8.hpp) instead of the
// serializer aborting the run.
#include <nlohmann/json.hpp>

#include <string>

namespace tiny {

// `value` as JSON text (indented by `indent` spaces, or on one line when negative), every key and string
// that is not valid UTF-8 escaped with escape_invalid_utf8.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace tiny
