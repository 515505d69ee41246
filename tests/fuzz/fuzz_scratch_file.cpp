#include "fuzz_scratch_file.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace tiny::fuzz {

ScratchFile::ScratchFile(const std::string& name, const uint8_t* data, size_t size) {
  const char* dir = std::getenv("TMPDIR");
  path_ = std::string(dir ? dir : "/tmp") + "/tiny-fuzz-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
}

ScratchFile::~ScratchFile() { ::unlink(path_.c_str()); }

}  // namespace tiny::fuzz
