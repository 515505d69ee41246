#pragma once
// torch.save checkpoints (zip format) without Python: the state_dict's tensors in, a plain-dict
// state_dict out. Tensors are tiny's records: weights float32 (float64/bfloat16 widened or narrowed
// to float32, float16 kept), integer buffers int32.
#include "codec/model_file.hpp"

#include <string>
#include <vector>

namespace tiny::convert {

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
