#pragma once
// Training the synthesis transform with its transposed convolutions in sub-pixel form: a 3x3
// convolution on rearranged weights (lib/nn's deconv_to_subpixel_weight, differentiated through)
// plus pixel shuffle. Same parameters and names as the Deconv2d layers it replaces, about 3x
// faster to train on the CPU than conv_transpose2d (`tiny bench train-step`).
#include "codec/model.hpp"

namespace tiny::train {

// Rebuilds model.g_s with its Deconv2d layers in sub-pixel form if g_s consists of Deconv2d and GDN
// layers only (bmshj2018, mbt2018); returns false and leaves the model alone otherwise.
bool use_subpixel_synthesis(codec::CompressionModel& model);

}  // namespace tiny::train
