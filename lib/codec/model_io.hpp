#pragma once
// Moving tensors between a torch model and a `.tmodel` record list, by CompressAI's names.
#include "codec/model.hpp"
#include "codec/model_file.hpp"

namespace tiny::codec {

// Every parameter and buffer of the model as records (parameters float16 if `half`).
std::vector<TensorRecord> model_tensors(CompressionModel& model, bool half);
// Copies the records into the model; throws tiny::Error naming `name` on a missing, unknown or
// mis-shaped tensor (the CDF table buffers take the stored shape).
void load_tensors(CompressionModel& model, const std::vector<TensorRecord>& records, const std::string& name);

}  // namespace tiny::codec
