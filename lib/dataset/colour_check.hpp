#pragma once
// The second stage of near-duplicate matching: a picture's colour layout, compared only for the
// candidate pairs the views match. Distinct photos whose luma structure comes close enough to pass
// the views' fine threshold rarely share their colour layout too, while edited copies (crops up to
// 10 %, resizing, JPEG, brightness and contrast +-20 %, rotations of a few degrees) keep it. Chosen
// with `tiny bench dedup-quality --split tune` (docs/commands/filter-dataset.md).
#include "image/image.hpp"

#include <array>
#include <cstdint>

namespace tiny::dataset {

constexpr int kColourGridSide = 4;
// Two layouts agree when their correlation is at least this.
constexpr float kMinColourCorrelation = 0.70f;

// The picture's RGB area-averaged to kColourGridSide x kColourGridSide cells (row-major, RGB).
using ColourGrid = std::array<uint8_t, kColourGridSide * kColourGridSide * 3>;

// The colour grid of a picture (non-empty).
ColourGrid colour_grid(const image::Image& img);

// The same grid of the picture flipped left-right.
ColourGrid mirrored(const ColourGrid& g);

// Pearson correlation of the two grids' cells after removing each channel's mean from each grid
// (so brightness and contrast changes do not count); for a flat grid, 1 against a flat grid, else 0.
double colour_correlation(const ColourGrid& a, const ColourGrid& b);

// True if the layouts agree (correlation >= kMinColourCorrelation); with `flips`, b's mirrored
// layout agreeing is enough.
bool colours_agree(const ColourGrid& a, const ColourGrid& b, bool flips);

}  // namespace tiny::dataset
