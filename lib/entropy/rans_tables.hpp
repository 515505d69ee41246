#pragma once
// Coder-ready form of a set of quantized CDFs: per symbol the encoder's reciprocal of its frequency,
// per table a 2^12-entry coarse slot -> symbol lookup (8 KiB, so many tables stay in cache) from
// which the decoder steps forward over the CDF. Built once per model, shared read-only.
#include "entropy/cdf.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiny::entropy {

// What the encoder needs for one symbol: x -> (x / freq) * 2^16 + x % freq + start, computed as
// x + bias + q * cmpl_freq with q = mulhi64(x, rcp_freq) >> rcp_shift (exact for x < 2^63).
struct EncSymbol {
  uint64_t rcp_freq;
  uint32_t freq, bias, cmpl_freq, rcp_shift;
};

// The decoder's lookup covers the 2^16 slots in buckets of 2^(16 - kLookupBits).
constexpr int kLookupBits = 12;

struct RansTable {
  int32_t offset = 0;
  int32_t tail = 0;  // the tail (escape) symbol
  uint32_t first_enc = 0, first_cdf = 0;  // where this table starts in the shared arrays
};

class RansTables {
public:
  // Validates every table (throws tiny::Error naming the bad one) and prepares it for coding.
  explicit RansTables(const std::vector<QuantizedCdf>& cdfs);
  // Number of tables; indexes given to the coder must be below this.
  size_t size() const { return tables_.size(); }
  const RansTable& table(size_t i) const { return tables_[i]; }
  const EncSymbol* enc(size_t i) const { return enc_.data() + tables_[i].first_enc; }
  // The CDF of table i (num_symbols + 1 entries).
  const uint32_t* cdf(size_t i) const { return cdf_.data() + tables_[i].first_cdf; }
  // Bucket (slot >> (16 - kLookupBits)) -> symbol holding the bucket's first slot, for table i.
  const uint16_t* lookup(size_t i) const { return lookup_.data() + (size_t(i) << kLookupBits); }
  // The quantized probability of symbol s in table i, as freq / 2^16.
  uint32_t frequency(size_t i, int s) const { return enc(i)[s].freq; }

private:
  std::vector<RansTable> tables_;
  std::vector<EncSymbol> enc_;
  std::vector<uint32_t> cdf_;
  std::vector<uint16_t> lookup_;
};

}  // namespace tiny::entropy
