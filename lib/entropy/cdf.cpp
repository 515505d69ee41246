#include "entropy/cdf.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace tiny::entropy {

std::vector<uint32_t> pmf_to_quantized_cdf(const std::vector<float>& pmf, int precision) {
  if (pmf.empty()) throw Error("pmf_to_quantized_cdf: empty pmf");
  if (precision < 1 || precision > 24) throw Error(fmt::format("pmf_to_quantized_cdf: bad precision {}", precision));
  const uint32_t one = 1u << precision;
  std::vector<uint32_t> cdf(pmf.size() + 1, 0);
  uint64_t total = 0;
  for (size_t i = 0; i < pmf.size(); ++i) {
    float p = pmf[i];
    if (!std::isfinite(p) || p < 0) throw Error(fmt::format("pmf_to_quantized_cdf: bad probability {} at {}", p, i));
    cdf[i + 1] = uint32_t(std::round(p * float(one)));
    total += cdf[i + 1];
  }
  if (total == 0) throw Error("pmf_to_quantized_cdf: probabilities sum to zero");
  // Rescale the rounded counts to the precision, then accumulate.
  for (auto& c : cdf) c = uint32_t(uint64_t(one) * c / total);
  for (size_t i = 1; i < cdf.size(); ++i) cdf[i] += cdf[i - 1];
  cdf.back() = one;
  // Give every zero-width bin one count, taken from the smallest bin that can spare it.
  for (size_t i = 0; i + 1 < cdf.size(); ++i) {
    if (cdf[i] != cdf[i + 1]) continue;
    uint32_t best_freq = std::numeric_limits<uint32_t>::max();
    size_t best_steal = cdf.size();
    for (size_t j = 0; j + 1 < cdf.size(); ++j) {
      uint32_t freq = cdf[j + 1] - cdf[j];
      if (freq > 1 && freq < best_freq) {
        best_freq = freq;
        best_steal = j;
      }
    }
    if (best_steal == cdf.size()) throw Error("pmf_to_quantized_cdf: more symbols than the precision allows");
    if (best_steal < i) {
      for (size_t j = best_steal + 1; j <= i; ++j) cdf[j]--;
    } else {
      for (size_t j = i + 1; j <= best_steal; ++j) cdf[j]++;
    }
  }
  return cdf;
}

QuantizedCdf build_cdf(const std::vector<float>& pmf, float tail_mass, int32_t offset) {
  std::vector<float> with_tail(pmf);
  with_tail.push_back(tail_mass);
  return QuantizedCdf{pmf_to_quantized_cdf(with_tail), offset};
}

std::vector<QuantizedCdf> build_cdfs(const std::vector<std::vector<float>>& pmfs, const std::vector<int>& lengths,
                                     const std::vector<float>& tail_masses, const std::vector<int32_t>& offsets) {
  if (lengths.size() != pmfs.size() || tail_masses.size() != pmfs.size() || offsets.size() != pmfs.size())
    throw Error(fmt::format("build_cdfs: {} pmfs but {} lengths, {} tail masses, {} offsets", pmfs.size(),
                            lengths.size(), tail_masses.size(), offsets.size()));
  std::vector<QuantizedCdf> out;
  out.reserve(pmfs.size());
  for (size_t i = 0; i < pmfs.size(); ++i) {
    if (lengths[i] < 0 || size_t(lengths[i]) > pmfs[i].size())
      throw Error(fmt::format("build_cdfs: length {} of pmf {} exceeds its {} values", lengths[i], i, pmfs[i].size()));
    std::vector<float> row(pmfs[i].begin(), pmfs[i].begin() + lengths[i]);
    out.push_back(build_cdf(row, tail_masses[i], offsets[i]));
  }
  return out;
}

std::vector<QuantizedCdf> stored_cdfs(const int32_t* cdf, size_t rows, size_t width, const int32_t* offsets,
                                      const int32_t* lengths) {
  std::vector<QuantizedCdf> out(rows);
  for (size_t i = 0; i < rows; ++i) {
    if (lengths[i] < 2 || size_t(lengths[i]) > width) throw Error("entropy model has a CDF table of bad length");
    const int32_t* row = cdf + i * width;
    out[i].cdf.assign(row, row + lengths[i]);
    out[i].offset = offsets[i];
  }
  return out;
}

void validate_cdf(const QuantizedCdf& table, const char* what) {
  const auto& c = table.cdf;
  if (c.size() < 2) throw Error(fmt::format("{}: CDF table has {} entries, needs at least 2", what, c.size()));
  if (c.size() > (1u << kCdfPrecision) + 1)
    throw Error(fmt::format("{}: CDF table has {} entries, more than 2^16 symbols", what, c.size()));
  if (c.front() != 0 || c.back() != (1u << kCdfPrecision))
    throw Error(fmt::format("{}: CDF table must run from 0 to 65536", what));
  for (size_t i = 0; i + 1 < c.size(); ++i)
    if (c[i + 1] <= c[i]) throw Error(fmt::format("{}: CDF table is not strictly increasing at entry {}", what, i));
}

}  // namespace tiny::entropy
