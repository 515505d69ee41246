#include "entropy/rans_tables.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::entropy {
namespace {

EncSymbol make_enc_symbol(uint32_t start, uint32_t freq) {
  EncSymbol e{};
  e.freq = freq;
  e.cmpl_freq = (1u << kCdfPrecision) - freq;
  if (freq == 1) {
    // q = mulhi(x, 2^64 - 1) = x - 1 for x > 0, so the bias adds back the missing 2^16 - 1.
    e.rcp_freq = ~uint64_t(0);
    e.rcp_shift = 0;
    e.bias = start + (1u << kCdfPrecision) - 1;
  } else {
    // rcp = ceil(2^(63 + shift) / freq) with 2^shift >= freq makes mulhi(x, rcp) >> (shift - 1)
    // equal x / freq for every x < 2^63.
    uint32_t shift = 0;
    while ((1u << shift) < freq) ++shift;
    unsigned __int128 num = (unsigned __int128)1 << (63 + shift);
    e.rcp_freq = uint64_t((num + freq - 1) / freq);
    e.rcp_shift = shift - 1;
    e.bias = start;
  }
  return e;
}

}  // namespace

RansTables::RansTables(const std::vector<QuantizedCdf>& cdfs) {
  tables_.reserve(cdfs.size());
  lookup_.resize(cdfs.size() << kLookupBits);
  for (size_t i = 0; i < cdfs.size(); ++i) {
    const QuantizedCdf& c = cdfs[i];
    validate_cdf(c, fmt::format("CDF table {}", i).c_str());
    if (int64_t(c.offset) + c.tail_symbol() > INT32_MAX)
      throw Error(fmt::format("CDF table {}: offset {} puts its values beyond int32", i, c.offset));
    RansTable t;
    t.offset = c.offset;
    t.tail = c.tail_symbol();
    t.first_enc = uint32_t(enc_.size());
    t.first_cdf = uint32_t(cdf_.size());
    cdf_.insert(cdf_.end(), c.cdf.begin(), c.cdf.end());
    for (int s = 0; s < c.num_symbols(); ++s) enc_.push_back(make_enc_symbol(c.cdf[s], c.cdf[s + 1] - c.cdf[s]));
    uint16_t* lut = lookup_.data() + (i << kLookupBits);
    uint16_t s = 0;
    for (uint32_t b = 0; b < (1u << kLookupBits); ++b) {
      uint32_t slot = b << (kCdfPrecision - kLookupBits);
      while (c.cdf[s + 1u] <= slot) ++s;
      lut[b] = s;
    }
    tables_.push_back(t);
  }
}

}  // namespace tiny::entropy
