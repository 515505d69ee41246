#pragma once
// Whole-file reads and atomic writes. "-" means stdin/stdout. Outputs are written to a temporary
// file in the destination folder, fsynced and renamed into place, so a failure never leaves a
// half-written file, and an existing file is replaced only when overwriting is allowed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiny {

using Bytes = std::vector<uint8_t>;

// Reads a whole file ("-" reads stdin); throws Error naming the file if it cannot be read.
Bytes read_file(const std::string& path);
// Reads a whole text file; throws Error naming the file if it cannot be read.
std::string read_text_file(const std::string& path);
// Writes bytes atomically to path ("-" writes stdout); refuses to replace a file unless overwrite.
void write_file_atomic(const std::string& path, std::string_view data, bool overwrite);
// Same, for a byte vector.
void write_file_atomic(const std::string& path, const Bytes& data, bool overwrite);
// Throws Error if path exists and overwrite is false (call before doing expensive work).
void check_can_write(const std::string& path, bool overwrite);

// An output file written through a temporary name and renamed into place by commit();
// destroyed without commit(), it removes the temporary file.
class AtomicFile {
public:
  // Opens a temporary file beside `path`; refuses an existing path unless overwrite.
  AtomicFile(std::string path, bool overwrite);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes to the temporary file.
  void write(std::string_view data);
  // Flushes, fsyncs and renames the temporary file to the final path.
  void commit();
  // The temporary file's path (for libraries that write by path themselves).
  const std::string& temp_path() const { return temp_; }

private:
  std::string path_, temp_;
  int fd_ = -1;
  bool overwrite_ = false, committed_ = false;
};

}  // namespace tiny
