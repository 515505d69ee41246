#pragma once
// A per-process file holding one fuzz input, for the targets whose parser reads a path (hash cache,
// training checkpoints, videos).
#include <cstddef>
#include <cstdint>
#include <string>

namespace tiny::fuzz {

class ScratchFile {
public:
  // Writes the bytes to $TMPDIR (else /tmp)/tiny-fuzz-<pid>-<name> with a plain write: an fsync, as
  // write_file_atomic does, would hold the fuzzer to ~150 runs a second.
  ScratchFile(const std::string& name, const uint8_t* data, size_t size);
  // Removes the file.
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  // Where the bytes are.
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

}  // namespace tiny::fuzz
