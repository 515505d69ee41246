#pragma once
// A check of any pickle's operand lengths before libtorch's unpickler reads it: that unpickler
// reserves whatever length a string or bytes opcode claims before it reads the bytes, so a few
// kilobytes can ask for gigabytes.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tiny::convert {

// Walks the opcodes of the pickle (protocols 0-5) up to STOP without building anything; throws Error
// naming `name` for an unknown opcode or an operand that reaches past the end of the bytes.
void check_pickle_lengths(const uint8_t* data, size_t size, const std::string& name);

}  // namespace tiny::convert
