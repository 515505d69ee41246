#pragma once
// What a decoder::Model holds: the model's header, its entropy models' coder tables and the numbers
// that turn decoded symbols into latents, and its transforms compiled for the fixed-order kernels (and
// the synthesis for oneDNN, where built in).
#include "codec/model_file.hpp"
#include "entropy/rans_tables.hpp"
#include "kernels/fixed_order.hpp"
#include "onednn/transform.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace tiny::decoder {

struct ModelData {
  codec::ModelFile info;  // header fields and hash (tensors dropped)
  bool hyperprior = false;  // z and a Gaussian conditional on h_s(z_hat) (else: y factorized)
  bool means = false;       // h_s also gives the Gaussian means (mbt2018-mean, mbt2018-mean-vr)
  int levels = 0;           // variable-rate models' rate levels (0: fixed rate)
  // Coder tables of stream 0 (entropy bottleneck) and stream 1 (Gaussian conditional), as the model stores them.
  std::vector<std::unique_ptr<entropy::RansTables>> tables;
  std::vector<float> medians;        // the entropy bottleneck's per-channel medians
  std::vector<float> scale_bounds;   // the Gaussian conditional's scale table without its last entry
  float scale_floor = 0;             // its lower bound on scales (0.11)
  std::vector<float> inverse_gains;  // variable-rate models: [levels][M]
  std::optional<kernels::FixedOrderNet> hyper_synthesis;
  std::optional<kernels::FixedOrderNet> synthesis;
  std::unique_ptr<onednn::Transform> fast_synthesis;  // nullptr without oneDNN
};

}  // namespace tiny::decoder
