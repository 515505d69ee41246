#pragma once
// Running codecs over a set of images: every codec at every quality point on every image, in
// parallel over images. Unreadable images and per-image codec failures are reported and skipped.
#include "bench/codec.hpp"
#include "bench/results.hpp"

#include <string>
#include <vector>

namespace tiny::bench {

struct Measurement {
  double bytes = 0, bpp = 0, payload_bpp = 0, psnr = 0, ms_ssim = 0, encode_s = 0, decode_s = 0;
};

struct PointResult {
  double setting = 0;             // the codec's own setting (CodecResult::setting_unit)
  Measurement mean;               // over the images that succeeded
  std::vector<Measurement> images;  // one per image of the set (bytes 0 where it failed)
  int count = 0;                  // images that succeeded
};

struct CodecResult {
  std::string codec, setting_unit;
  std::vector<PointResult> points;
};

struct BenchResult {
  std::vector<std::string> files;    // the images measured, in order
  std::vector<std::string> skipped;  // "<file>: <why>" for unreadable images and codec failures
  int skipped_images = 0;            // images that could not be read
  std::vector<CodecResult> codecs;
  double seconds = 0;                // wall time of the whole run
};

// Measures each codec at its quality points (fewer if quick) on each file.
BenchResult run_bench(const std::vector<std::string>& files, const std::vector<std::unique_ptr<Codec>>& codecs,
                      bool quick);
// Which bytes a curve's bpp counts: whole files, or payloads without tiny's container header (the
// way CompressAI counts the rate of its published curves).
enum class Rate { file, payload };

// The codec's mean curve (CompressAI layout), points sorted by bpp.
Curve to_curve(const CodecResult& result, const std::string& description, Rate rate = Rate::file);
// The image files (png, jpg, jpeg, ppm, bmp, tif, tiff, webp) directly inside a folder, sorted (the first
// three when `quick`, as quick runs measure);
// throws Error naming the folder if it cannot be read or holds none.
std::vector<std::string> list_images(const std::string& folder, bool quick = false);

}  // namespace tiny::bench
