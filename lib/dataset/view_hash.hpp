#pragma once
// Crop-robust near-duplicate signatures ("views"): a 64-bit coarse pHash and a 256-bit fine pHash of
// the whole picture and of crop windows of it. A copy cropped by up to ~10 % per edge resembles one of
// the windows of its original far more than the original itself, so matching a picture's whole view
// against the other's windows finds cropped re-posts. Both hashes come from one 64x64 luma DCT per
// view: coarse = top-left 8x8 coefficients above their median, fine = top-left 16x16 above theirs.
// A signature holds the views and the picture's colour layout (colour_check.hpp), which verifies the
// pairs the views match.
#include "core/file_io.hpp"
#include "dataset/colour_check.hpp"
#include "dataset/window_dct.hpp"
#include "image/image.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace tiny::dataset {

// The defaults, chosen with `tiny bench dedup-quality --split tune` (docs/commands/filter-dataset.md):
// windows cut these fractions per edge; candidates within this coarse distance; matches within this
// fine distance (default_threshold(HashKind::views)), their colours agreeing (colour_check.hpp).
const std::vector<std::vector<float>> kWindowCuts = {{0.0f, 0.1f}, {0.025f, 0.075f}};
constexpr int kCoarseThreshold = 8;
// JPEGs are decoded for the views at the smallest IDCT scale giving at least this many pixels a side.
constexpr int kViewDecodeSide = 64;
constexpr int kFineThreshold = 54;

// A crop window as the fraction of the width/height removed at each edge.
struct CropFrame {
  float left = 0, top = 0, right = 0, bottom = 0;
};

struct ViewHash {
  uint64_t coarse = 0;
  std::array<uint64_t, 4> fine{};
  bool operator==(const ViewHash& o) const { return coarse == o.coarse && fine == o.fine; }
};

// What near-duplicate matching knows of a picture: its views (the whole view first) and its colours.
struct Signature {
  std::vector<ViewHash> views;
  ColourGrid colour{};
  bool mirror = false;  // the views include those of the picture flipped left-right
  bool operator==(const Signature& o) const { return views == o.views && colour == o.colour && mirror == o.mirror; }
};

// Crop windows: for each lattice, every combination of its fractions at the four edges, except no
// cut at all; windows repeated by two lattices are listed once.
std::vector<CropFrame> window_frames(const std::vector<std::vector<float>>& lattices);

// The whole picture, then the kWindowCuts windows: the frames of a signature.
std::vector<CropFrame> signature_frames();

// The frame's pixels in a cols x rows picture (at least one pixel each way); with `mirror`, the
// frame of the picture flipped left-right, as columns of the unflipped one.
PixelWindow frame_window(const CropFrame& f, int cols, int rows, bool mirror);

// The coarse and fine hashes of a view from its top-left 16x16 DCT coefficients (row-major).
ViewHash hash_coefficients(const float* dct);

// Hashes of each frame of the picture (luma, area-resampled to 64x64: window_dct.hpp), then, with
// `with_mirror`, of each frame of the picture flipped left-right. Pictures with a shorter side above
// 512 px are area-reduced to 512 px first.
std::vector<ViewHash> view_hashes(const image::Image& img, const std::vector<CropFrame>& frames, bool with_mirror = false);

// A picture's signature: the whole view, then the kWindowCuts windows; with `mirror`, the same views of
// the picture flipped left-right after them; and its colour grid.
Signature signature(const image::Image& img, bool mirror);
// The signature of an encoded image exactly as filter-dataset and ingest compute it: decoded at the
// reduced size (kViewDecodeSide), then signature(); throws Error naming `origin` if it does not decode.
Signature encoded_signature(const Bytes& bytes, const std::string& origin, bool mirror);
// The same decode, then the views of other frames (the bench's window choices) and the colour grid.
Signature encoded_view_hashes(const Bytes& bytes, const std::string& origin, const std::vector<CropFrame>& frames,
                              bool with_mirror);
// The number of views in a signature (1 + the windows, twice that with mirror).
size_t signature_size(bool mirror);

// Hamming distances between the coarse and between the fine hashes.
int coarse_distance(const ViewHash& a, const ViewHash& b);
int fine_distance(const ViewHash& a, const ViewHash& b);

// Returned by match_distance when no pair of views passes the coarse threshold.
constexpr int kNoMatch = 257;
// The smallest fine distance between a's whole view (views[0]) and any view of b, or any view of a
// and b's whole view, over the pairs whose coarse distance is at most `coarse_threshold`; kNoMatch
// if there is none.
int match_distance(const std::vector<ViewHash>& a, const std::vector<ViewHash>& b, int coarse_threshold);
// Two-stage matching: match_distance of the views if the colour grids agree (colours_agree, flips
// allowed when either signature has mirrored views), else kNoMatch.
int match_distance(const Signature& a, const Signature& b, int coarse_threshold);

}  // namespace tiny::dataset
