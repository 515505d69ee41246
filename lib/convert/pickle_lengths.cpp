#include "convert/pickle_lengths.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace tiny::convert {
namespace {

// How an opcode's operand is laid out.
enum class Operand { none, fixed, length, lines, unknown };

struct Layout {
  Operand operand = Operand::unknown;
  size_t bytes = 0;  // fixed: operand bytes; length: bytes of the little-endian length; lines: newline-ended lines
};

Layout layout(uint8_t op) {
  switch (op) {
    case '(': case '.': case '0': case '1': case '2': case 'N': case 0x88: case 0x89: case ')': case 't':
    case 0x85: case 0x86: case 0x87: case ']': case '}': case 'a': case 'e': case 's': case 'u': case 'R':
    case 'b': case 'Q': case 0x94: case 0x93: case 0x81: case 0x92: case 'o': case 'l': case 'd': case 0x8f:
    case 0x90: case 0x91: case 0x97: case 0x98:
      return {Operand::none, 0};
    case 0x80: case 'K': case 'q': case 'h': case 0x82: return {Operand::fixed, 1};
    case 'M': case 0x83: return {Operand::fixed, 2};
    case 'J': case 'r': case 'j': case 0x84: return {Operand::fixed, 4};
    case 0x95: case 'G': return {Operand::fixed, 8};
    case 'U': case 0x8c: case 'C': case 0x8a: return {Operand::length, 1};
    case 'T': case 'X': case 'B': case 0x8b: return {Operand::length, 4};
    case 0x8d: case 0x8e: case 0x96: return {Operand::length, 8};
    case 'I': case 'L': case 'F': case 'S': case 'V': case 'P': case 'p': case 'g': return {Operand::lines, 1};
    case 'c': case 'i': return {Operand::lines, 2};
    default: return {};
  }
}

}  // namespace

void check_pickle_lengths(const uint8_t* data, size_t size, const std::string& name) {
  const auto fail = [&](size_t at, const char* what) {
    throw Error(file_error(name, fmt::format("pickle opcode at byte {} {}", at, what)));
  };
  for (size_t at = 0; at < size;) {
    const uint8_t op = data[at];
    if (op == '.') return;
    const Layout l = layout(op);
    size_t next = at + 1;
    if (l.operand == Operand::unknown) fail(at, fmt::format("{:#04x} is unknown", op).c_str());
    if (l.operand == Operand::fixed || l.operand == Operand::length) {
      if (l.bytes > size - next) fail(at, "is cut short");
      uint64_t length = 0;
      if (l.operand == Operand::length) std::memcpy(&length, data + next, l.bytes);  // little-endian hosts
      next += l.bytes;
      if (length > size - next) fail(at, "claims more bytes than the pickle holds");
      next += size_t(length);
    }
    for (size_t line = 0; l.operand == Operand::lines && line < l.bytes; ++line) {
      const void* end = next < size ? std::memchr(data + next, '\n', size - next) : nullptr;
      if (!end) fail(at, "has no end of line");
      next = size_t(static_cast<const uint8_t*>(end) - data) + 1;
    }
    at = next;
  }
  throw Error(file_error(name, "pickle has no STOP opcode"));
}

}  // namespace tiny::convert
