#pragma once
// tiny's error types. Library code throws them with a message that names the file, key or value at
// fault; the CLI prints the message on one line and maps the type to an exit code.
#include <stdexcept>
#include <string>

namespace tiny {

// A runtime failure: unreadable or corrupt input, I/O errors, a model that does not fit (exit code 1).
class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A usage or configuration error: bad flags, bad JSON, unknown keys, wrong types (exit code 2).
class UsageError : public Error {
public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

// Returns "<path>: <message>", the shape of every file-related error.
std::string file_error(const std::string& path, const std::string& message);

// Returns the text of the current errno, e.g. "No such file or directory".
std::string errno_text();

}  // namespace tiny
