#pragma once
// A variable-rate model (mbt2018-mean-vr) at one quality as an ordinary mbt2018-mean that CompressAI
// and older decoders read: the gains of that quality folded into g_a's last convolution (its outputs
// scaled per channel) and the inverse gains into g_s's first layer (its inputs scaled per channel).
#include "codec/model_file.hpp"

#include <string>

namespace tiny::convert {

// The model at `quality` (1 to its levels; between two levels the gains interpolate exponentially);
// throws tiny::UsageError for a fixed-rate model or a quality out of range, naming `name`.
codec::ModelFile fold_rate(const codec::ModelFile& model, double quality, const std::string& name);

}  // namespace tiny::convert
