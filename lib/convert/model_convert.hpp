#pragma once
// CompressAI state_dicts <-> tiny model files. Names follow CompressAI (entropy_bottleneck._matrix0 ...;
// imports also take its current releases' entropy_bottleneck.matrices.0, .biases.0, .factors.0);
// the architecture, N and M are inferred from the tensor names and shapes where not given, and the
// CDF tables are rebuilt with update() rather than copied.
#include "codec/model_file.hpp"

#include <string>
#include <vector>

namespace tiny::convert {

struct ImportOptions {
  std::string arch;  // empty: inferred
  int quality = 0;   // 0: the one zoo quality whose N/M match (an error if several do)
  nlohmann::json provenance = nlohmann::json::object();
};

// A model file from a CompressAI state_dict, the entropy bottleneck's parameters named either way (the file
// keeps tiny's `_matrixN` names); throws tiny::Error naming `name` and the tensor at fault
// (missing, unknown, mis-shaped) or an architecture it cannot infer.
codec::ModelFile import_state_dict(const std::vector<codec::TensorRecord>& tensors, const ImportOptions& options,
                                   const std::string& name);
// The CompressAI state_dict of a model file (weights float32, tables int32), in the model's order,
// with CompressAI's `scale_bound` buffer and a 3-layer density widened to its 4 layers.
std::vector<codec::TensorRecord> export_state_dict(const codec::ModelFile& model);
// Re-encodes the model file's weights as float16 (half) or float32; tables stay int32.
void set_weight_precision(codec::ModelFile& model, bool half);

}  // namespace tiny::convert
