#pragma once
// Where model files are found: by path, by name in the model folders, or as the model tiny ships for
// an architecture and quality. Torch-free.
#include <string>
#include <vector>

namespace tiny::codec {

// Resolves a model given by path, or by name in the model folders ($TINY_MODELS, ./models, and the
// shipped models/ of the installation); throws tiny::Error listing where it looked.
std::string find_model(const std::string& spec);
// The trained model tiny ships for arch at quality (models/<arch>-q<quality>.tmodel; variable-rate
// models: models/<arch>.tmodel, every quality); throws tiny::Error saying none is shipped yet if absent.
std::string shipped_model(const std::string& arch, int quality);
// Every trained model tiny ships for arch, lowest quality first (empty if none).
std::vector<std::string> shipped_models(const std::string& arch);

}  // namespace tiny::codec
