#pragma once
// The torch codec's decompress as a service of the models plugin (models_plugin.hpp).
#include "core/file_io.hpp"
#include "image/rows.hpp"
#include "model_choice.hpp"

#include <string>

namespace tiny::cli {

// Decodes `tic` with the model `choice` names (or the bitstream's own) on the torch codec into `out`;
// with `out` null only its latents and their checksum.
void torch_decompress(const ModelChoice& choice, const Bytes& tic, const std::string& name, image::RowWriter* out);

}  // namespace tiny::cli
