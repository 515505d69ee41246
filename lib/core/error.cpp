#include "core/error.hpp"

#include <cerrno>
#include <cstring>

namespace tiny {

std::string file_error(const std::string& path, const std::string& message) {
  return (path == "-" ? std::string("<stdin>") : path) + ": " + message;
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace tiny
