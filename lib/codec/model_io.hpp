#pragma once
// Moving tensors between a torch model and a `.tmodel` record list, by CompressAI's names.
#include "codec/model.hpp"
#include "codec/model_file.hpp"

namespace tiny::codec {

// The record as a tensor: float32, float16 or int32 as stored; quantized weights dequantized to float32.
torch::Tensor record_to_tensor(const TensorRecord& record);
// A tensor as a record: int32/int64 as int32, floats as float16 if `half`, else float32.
TensorRecord tensor_to_record(const std::string& name, const torch::Tensor& tensor, bool half);
// True for the CDF table buffers of the entropy models (`._quantized_cdf`, `._offset`, `._cdf_length`).
bool is_table_buffer(const std::string& name);
// Every parameter and buffer of the model as records (parameters float16 if `half`).
std::vector<TensorRecord> model_tensors(CompressionModel& model, bool half);
// Writes a model (e.g. one just trained, after update()) as `.tmodel` with its configuration, the
// given provenance and its tensors (parameters as float16 if `half`); returns the content hash.
uint64_t write_model(const std::string& path, CompressionModel& model, const nlohmann::json& provenance, bool half,
                     bool overwrite);
// Copies the records into the model; throws tiny::Error naming `name` on a missing, unknown or
// mis-shaped tensor (the CDF table buffers take the stored shape).
void load_tensors(CompressionModel& model, const std::vector<TensorRecord>& records, const std::string& name);

// Copies the records whose names and shapes match parameters or buffers of the model (not the CDF
// tables, which update() rebuilds), e.g. to start training from another model; returns how many
// parameters were copied.
size_t load_matching_tensors(CompressionModel& model, const std::vector<TensorRecord>& records);

}  // namespace tiny::codec
