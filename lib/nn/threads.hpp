#pragma once
// Thread settings of libtorch (intra-op pool), kept out of headers that need no torch.

namespace tiny::nn {

// Sets libtorch's intra-op thread count and tiny's (n <= 0: all cores); the inter-op pool is set once, first time.
void set_torch_threads(int n);

}  // namespace tiny::nn
