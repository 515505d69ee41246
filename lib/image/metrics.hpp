#pragma once
// Full-reference quality metrics on 8-bit RGB images, as CompressAI reports them.
//
// PSNR: 10·log10(255² / MSE), MSE averaged over all pixels and the three channels; +inf if equal.
// MS-SSIM (Wang, Simoncelli, Bovik 2003), computed as pytorch_msssim does with data_range 255:
//   per channel, 5 scales; at each scale an 11×11 Gaussian window (σ = 1.5, separable, 'valid'
//   borders) gives the luminance term l = (2μxμy + C1)/(μx² + μy² + C1) and the contrast-structure
//   term cs = (2σxy + C2)/(σx² + σy² + C2), C1 = (0.01·255)², C2 = (0.03·255)²; between scales both
//   images are 2×2 average-pooled (a side of odd length is zero-padded by one on each side, the pad
//   counted in the mean). MS-SSIM = Π_{j<5} max(cs_j, 0)^{w_j} · max(ssim_5, 0)^{w_5} with weights
//   w = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), then averaged over the three channels.
//   Both sides must exceed 160 pixels (the window still fits at the coarsest scale).
#include "image/image.hpp"

namespace tiny::image {

// Mean squared error over all RGB samples; throws Error if the sizes differ.
double mse(const Image& a, const Image& b);
// PSNR in dB of b against a (+inf when identical).
double psnr(const Image& a, const Image& b);
// MS-SSIM of b against a, in [0, 1]; throws Error if sizes differ or a side is ≤ 160.
double ms_ssim(const Image& a, const Image& b);
// MS-SSIM expressed in dB: -10·log10(1 - ms_ssim) (+inf when 1).
double ms_ssim_db(double ms_ssim_value);

}  // namespace tiny::image
