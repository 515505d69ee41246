#pragma once
// Side-by-side crops for a bench report: for an image and a target bpp, the point of each codec whose
// bpp on that image is nearest the target, coded again, and the same square of the original and of
// every decoded picture, as PNG.
#include "bench/codec.hpp"
#include "bench/run.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tiny::bench {

struct CropTile {
  std::string codec, setting_unit;  // codec empty for the original
  double setting = 0, bpp = 0, psnr = 0;  // bpp and PSNR of the whole image at that setting
  Bytes png;                        // the crop
};

struct CropRow {
  std::string file;
  double target_bpp = 0;
  int x = 0, y = 0, size = 0;   // the square, in the image's pixels
  std::vector<CropTile> tiles;  // the original first, then one per codec that measured this image
};

// The square of side `size` (or the image's shorter side if smaller) with the most detail (sum of
// absolute differences between neighbouring pixels), on a grid of half its side; deterministic.
void detailed_square(const image::Image& img, int size, int& x, int& y);
// Crop rows for each image index of `result.files` and each target bpp, codecs as measured in `result`
// (result.codecs[i] is codecs[i]); throws Error naming the file when an image cannot be read again.
std::vector<CropRow> side_by_side_crops(const BenchResult& result, const std::vector<std::unique_ptr<Codec>>& codecs,
                                        const std::vector<size_t>& images, const std::vector<double>& target_bpps,
                                        int size);
// Up to `count` image indices spread evenly over the images that were read (first and last included).
std::vector<size_t> crop_images(const BenchResult& result, size_t count);

}  // namespace tiny::bench
