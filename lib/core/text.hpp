#pragma once
// Small string tests shared across modules.
#include <string_view>

namespace tiny {

// True if `text` ends with `suffix`.
inline bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace tiny
