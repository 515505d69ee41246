#pragma once
// The synthesis g_s and hyper-synthesis h_s of the hyperprior family (bmshj2018, mbt2018-mean,
// mbt2018-mean-vr), their layer lists rebuilt from a `.tmodel`'s tensors for the fixed-order kernels,
// exactly as the torch models' fixed-order runner compiles them. Torch-free.
#include "decoder/tensors.hpp"
#include "kernels/fixed_order.hpp"

#include <string>
#include <vector>

namespace tiny::decoder {

// g_s of bmshj2018 and mbt2018: four stride-2 transposed 5x5 convolutions (M -> N -> N -> N -> 3)
// with an inverse GDN after each of the first three.
std::vector<kernels::Layer> synthesis_layers(const TensorSet& tensors, int N, int M);
// h_s: bmshj2018-hyperprior's (N -> N -> N -> M, ReLU) or, with `means`, mbt2018-mean's
// (N -> M -> 3M/2 -> 2M, leaky ReLU; scales in the first M output channels, means in the next M).
std::vector<kernels::Layer> hyper_synthesis_layers(const TensorSet& tensors, int N, int M, bool means);

}  // namespace tiny::decoder
