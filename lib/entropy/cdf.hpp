#pragma once
// Quantized cumulative distribution tables for the rANS coder, built exactly as CompressAI's
// pmf_to_quantized_cdf builds them (16-bit precision, no zero-width bin), each with a tail bin
// that stands for every value outside the table's range.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiny::entropy {

constexpr int kCdfPrecision = 16;  // CDF entries sum to 2^16

// One table: cdf[0] = 0 < ... < cdf.back() = 2^16. Symbol s (0 <= s < size()-2) stands for the
// value s + offset; the last symbol, tail_symbol(), escapes to a bypass-coded value.
struct QuantizedCdf {
  std::vector<uint32_t> cdf;
  int32_t offset = 0;
  // Number of symbols including the tail symbol.
  int num_symbols() const { return int(cdf.size()) - 1; }
  // The escape symbol for values outside [offset, offset + tail_symbol()).
  int tail_symbol() const { return int(cdf.size()) - 2; }
};

// CompressAI's pmf_to_quantized_cdf: returns pmf.size()+1 entries from 0 to 2^precision with no
// zero-width bin. Throws tiny::Error if the pmf is empty, has negative/non-finite values or sums to 0.
std::vector<uint32_t> pmf_to_quantized_cdf(const std::vector<float>& pmf, int precision = kCdfPrecision);

// Builds one table from the in-range probabilities plus the tail mass (appended as the tail bin).
QuantizedCdf build_cdf(const std::vector<float>& pmf, float tail_mass, int32_t offset);

// Builds one table per pmf; pmfs[i] holds lengths[i] in-range probabilities (it may be longer,
// as a padded row of CompressAI's _pmf), tail_masses[i] the tail and offsets[i] the first value.
std::vector<QuantizedCdf> build_cdfs(const std::vector<std::vector<float>>& pmfs,
                                     const std::vector<int>& lengths,
                                     const std::vector<float>& tail_masses,
                                     const std::vector<int32_t>& offsets);

// The tables an entropy model stores as CompressAI's buffers: `rows` zero-padded CDF rows of `width`
// values (`_quantized_cdf`), each with its first value (`_offset`) and used length (`_cdf_length`);
// throws tiny::Error on a length below 2 or above the width.
std::vector<QuantizedCdf> stored_cdfs(const int32_t* cdf, size_t rows, size_t width, const int32_t* offsets,
                                      const int32_t* lengths);

// Checks that a table is usable by the coder (at least the tail symbol, strictly increasing,
// from 0 to 2^16); throws tiny::Error naming `what` otherwise.
void validate_cdf(const QuantizedCdf& table, const char* what);

}  // namespace tiny::entropy
