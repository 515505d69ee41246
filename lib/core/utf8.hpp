#pragma once
// Text that is not valid UTF-8. File names on Linux are bytes and captions come from anywhere, while
// JSON holds only UTF-8: names keep their exact bytes where they name files and are escaped where they
// go into JSON; captions have their bad bytes replaced (and counted).
#include <cstddef>
#include <string>
#include <string_view>

namespace tiny {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);
// `text` with each byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD; adds the
// number of bytes replaced to *replaced when given.
std::string replace_invalid_utf8(std::string_view text, size_t* replaced = nullptr);
// `text` with each byte that is not part of a well-formed UTF-8 sequence written as the four
// characters \xNN (two upper-case hex digits), as `ls --quoting-style=escape` shows them.
std::string escape_invalid_utf8(std::string_view text);

}  // namespace tiny
