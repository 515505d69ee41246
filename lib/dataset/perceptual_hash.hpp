#pragma once
// Perceptual hashes of images (standard definitions): aHash, dHash, pHash and a 256-bit pHash; and
// "views", the crop-robust signatures of view_hash.hpp (a record's hash is then its whole view's fine hash).
#include "image/image.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace tiny::dataset {

enum class HashKind { ahash, dhash, phash, phash256, views };

// Up to 256 hash bits; bit i lives in words[i / 64], bit i % 64. Unused words are zero.
struct PerceptualHash {
  std::array<uint64_t, 4> words{};
  bool operator==(const PerceptualHash& o) const { return words == o.words; }
};

// Number of bits of a hash kind (64, or 256 for phash256 and views).
int hash_bits(HashKind kind);
// Default near-duplicate threshold of a kind (views: the fine threshold), chosen with `tiny bench
// dedup-quality --split tune` as the largest whose expected false pairs among 10^6 distinct images
// stay below 10 (docs/commands/filter-dataset.md has the numbers).
int default_threshold(HashKind kind);
// Parses "ahash", "dhash", "phash", "phash256" or "views"; throws UsageError otherwise.
HashKind hash_kind_from_name(const std::string& name);
// The name of a hash kind.
const char* hash_kind_name(HashKind kind);
// Hamming distance between two hashes.
int hamming(const PerceptualHash& a, const PerceptualHash& b);
// Hex text of the hash's bits (16 or 64 hex digits).
std::string hash_hex(const PerceptualHash& h, HashKind kind);

// aHash: 8x8 grayscale, each bit = pixel above the mean.
PerceptualHash average_hash(const image::Image& img);
// dHash: 9x8 grayscale, each bit = pixel brighter than its right neighbour.
PerceptualHash difference_hash(const image::Image& img);
// pHash: 32x32 grayscale -> 2-D DCT -> top-left 8x8 -> bit = coefficient above the median.
PerceptualHash dct_hash(const image::Image& img);
// 256-bit pHash: 64x64 grayscale -> 2-D DCT -> top-left 16x16 -> median threshold.
PerceptualHash dct_hash256(const image::Image& img);
// Dispatches on the kind (views: the whole picture's fine hash).
PerceptualHash compute_hash(const image::Image& img, HashKind kind);
// Smallest decode size a kind needs (JPEGs are decoded at the smallest IDCT scale reaching it).
int hash_input_side(HashKind kind);

}  // namespace tiny::dataset
