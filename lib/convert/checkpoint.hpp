#pragma once
// torch.save checkpoints (zip format) without Python: the state_dict's tensors in, a plain-dict
// state_dict out. Tensors are tiny's records: weights float32 (float64/bfloat16 widened or narrowed
// to float32, float16 kept), integer buffers int32.
#include "codec/model_file.hpp"

#include <map>
#include <string>
#include <vector>

namespace tiny::convert {

// The bytes of one record of a torch zip archive, inside the archive's bytes.
struct ZipRecordBytes {
  const uint8_t* data;
  size_t size;
};
// The records of torch zip archive bytes (torch.save checkpoints, libtorch's serialize archives) by
// name inside their folder, after check_stored_zip and the checks libtorch's reader makes on opening
// (records in a folder, a version record of a format version it reads): libtorch's reader leaks the
// archive when its constructor throws, so check bytes with this first. `deflated_code` as for
// check_stored_zip. Throws Error naming `name`.
std::map<std::string, ZipRecordBytes> torch_zip_records(const Bytes& data, const std::string& name,
                                                        bool deflated_code = false);
// The state_dict of checkpoint bytes: the root dict, or its "state_dict" entry; a DDP "module."
// prefix on every name is removed. `name` appears in errors.
std::vector<codec::TensorRecord> parse_torch_checkpoint(const Bytes& data, const std::string& name);
// Reads the state_dict of a checkpoint file.
std::vector<codec::TensorRecord> read_torch_checkpoint(const std::string& path);
// The bytes of a torch.save zip checkpoint holding a plain dict {name: tensor}.
Bytes torch_checkpoint_bytes(const std::vector<codec::TensorRecord>& tensors);
// Writes a checkpoint file atomically.
void write_torch_checkpoint(const std::string& path, const std::vector<codec::TensorRecord>& tensors, bool overwrite);
// True if the file starts with a zip signature.
bool is_zip_file(const std::string& path);

}  // namespace tiny::convert
