#pragma once
// The zip container of a torch.save checkpoint, checked before any record is read: torch.save
// stores every record uncompressed, so a compressed record (which could inflate a few megabytes
// into gigabytes) is refused, and no record may claim bytes the file does not hold. No torch.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tiny::convert {

// One record of a checked zip: its name and where its (stored) bytes lie in the file.
struct StoredRecord {
  std::string name;
  size_t offset = 0, size = 0;
};

// Walks the central directory (zip64 included) of the `size` bytes at `data` and returns its records
// (a deflated one by its deflated bytes) in directory order; throws Error naming `name` for a missing
// end record, a directory outside the file, a compressed or encrypted record, or a record whose sizes
// disagree or whose data would reach past the end of the file. `deflated_code` admits deflated `.py`
// records (libtorch's serialize archives deflate their TorchScript code) of at most deflate's ratio.
std::vector<StoredRecord> check_stored_zip(const uint8_t* data, size_t size, const std::string& name,
                                           bool deflated_code = false);

}  // namespace tiny::convert
