#include "bench/rans_bench.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "entropy/model_cdfs.hpp"
#include "entropy/rans.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace tiny::entropy;

namespace {

std::vector<QuantizedCdf> random_cdfs(std::mt19937& rng, int count) {
  std::vector<QuantizedCdf> out;
  for (int t = 0; t < count; ++t) {
    int len = std::uniform_int_distribution<int>(1, 300)(rng);
    std::vector<float> pmf(static_cast<size_t>(len), 0.0f);
    for (auto& p : pmf) p = std::pow(std::uniform_real_distribution<float>(0, 1)(rng), 4.0f);
    out.push_back(build_cdf(pmf, 1e-3f, std::uniform_int_distribution<int>(-200, 50)(rng)));
  }
  return out;
}

// Values mostly in range, some escapes just outside and far outside.
void random_symbols(std::mt19937& rng, const std::vector<QuantizedCdf>& cdfs, size_t n, std::vector<int32_t>& symbols,
                    std::vector<int32_t>& indexes) {
  symbols.resize(n);
  indexes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int t = std::uniform_int_distribution<int>(0, int(cdfs.size()) - 1)(rng);
    const auto& c = cdfs[size_t(t)];
    indexes[i] = t;
    int r = std::uniform_int_distribution<int>(0, 99)(rng);
    if (r < 90)
      symbols[i] = c.offset + std::uniform_int_distribution<int>(0, c.tail_symbol() - 1)(rng);
    else if (r < 97)
      symbols[i] = c.offset + std::uniform_int_distribution<int>(-20, c.tail_symbol() + 20)(rng);
    else
      symbols[i] = std::uniform_int_distribution<int32_t>(INT32_MIN, INT32_MAX)(rng);
  }
}

}  // namespace

TEST_CASE("rANS round-trips random tables with escapes") {
  std::mt19937 rng(7);
  auto cdfs = random_cdfs(rng, 20);
  RansTables tables(cdfs);
  for (size_t n : {size_t(1), size_t(2), size_t(3), size_t(5), size_t(9), size_t(100), size_t(10007)}) {
    std::vector<int32_t> symbols, indexes;
    random_symbols(rng, cdfs, n, symbols, indexes);
    auto bytes = rans_encode(symbols, indexes, tables);
    CHECK(rans_decode(bytes, indexes, tables) == symbols);
    for (int lanes : {4, 8}) {
      CAPTURE(lanes);
      auto laned = rans_encode(symbols.data(), indexes.data(), n, tables, lanes);
      CHECK(rans_decode(laned, indexes, tables) == symbols);
    }
  }
}

TEST_CASE("rANS codes extreme values, including +-2^30 and the int32 limits") {
  RansTables tables({build_cdf({0.3f, 0.4f, 0.3f}, 1e-9f, -1), build_cdf({1.0f}, 0.5f, INT32_MAX - 1)});
  std::vector<int32_t> symbols = {1 << 30, -(1 << 30), INT32_MAX, INT32_MIN, 0, -1, 1, 2, -2, INT32_MAX, INT32_MIN, 7};
  std::vector<int32_t> indexes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
  auto bytes = rans_encode(symbols, indexes, tables);
  CHECK(rans_decode(bytes, indexes, tables) == symbols);
}

TEST_CASE("rANS empty stream and single symbol") {
  RansTables tables({build_cdf({0.5f, 0.5f}, 0.01f, 0)});
  auto empty = rans_encode({}, {}, tables);
  CHECK(empty.empty());
  CHECK(rans_decode(empty, {}, tables).empty());
  CHECK_THROWS_AS(rans_decode(empty, {0}, tables), tiny::Error);
  auto one = rans_encode({1}, {0}, tables);
  CHECK(one.size() == 8 * 4);
  CHECK(rans_decode(one, {0}, tables) == std::vector<int32_t>{1});
  int32_t symbol = 1, index = 0;
  auto wide = rans_encode(&symbol, &index, 1, tables, 8);
  CHECK(wide.size() == 8 * 8);
  CHECK(rans_decode(wide, {0}, tables) == std::vector<int32_t>{1});
}

TEST_CASE("rANS gives long streams 8 states, marked in the stream, and still reads 4-state ones") {
  CHECK(rans_lanes(kWideStreamSymbols - 1) == 4);
  CHECK(rans_lanes(kWideStreamSymbols) == 8);
  RansTables tables(factorized_cdfs(4));
  std::vector<int32_t> symbols(kWideStreamSymbols), indexes(kWideStreamSymbols);
  for (size_t i = 0; i < symbols.size(); ++i) {
    indexes[i] = int32_t(i % 4);
    symbols[i] = int32_t(i % 7) - 3;
  }
  auto wide = rans_encode(symbols, indexes, tables);
  CHECK((wide[7] & 0x80) != 0);  // bit 31 of the first state's high word
  CHECK(rans_stream_lanes(wide.data(), wide.size()) == 8);
  CHECK(rans_decode(wide, indexes, tables) == symbols);
  auto narrow = rans_encode(symbols.data(), indexes.data(), symbols.size(), tables, 4);
  CHECK((narrow[7] & 0x80) == 0);
  CHECK(rans_stream_lanes(narrow.data(), narrow.size()) == 4);
  CHECK(rans_stream_lanes(nullptr, 0) == 0);
  CHECK(rans_decode(narrow, indexes, tables) == symbols);
  CHECK_THROWS_AS(rans_encode(symbols.data(), indexes.data(), symbols.size(), tables, 3), tiny::Error);
}

TEST_CASE("rANS rejects an 8-state marker on a stream too short for 8 states") {
  RansTables tables({build_cdf({0.5f, 0.5f}, 0.01f, 0)});
  auto one = rans_encode({1}, {0}, tables);
  one[7] |= 0x80;
  CHECK_THROWS_AS(rans_decode(one, {0}, tables), tiny::Error);
}

TEST_CASE("rANS rejects bad indexes, size mismatches and corrupt streams") {
  RansTables tables({build_cdf({0.5f, 0.5f}, 0.01f, 0)});
  CHECK_THROWS_AS(rans_encode({1}, {1}, tables), tiny::Error);
  CHECK_THROWS_AS(rans_encode({1}, {-1}, tables), tiny::Error);
  CHECK_THROWS_AS(rans_encode({1, 2}, {0}, tables), tiny::Error);
  std::vector<int32_t> symbols(5000, 1), indexes(5000, 0);
  for (size_t i = 0; i < symbols.size(); i += 3) symbols[i] = int32_t(i) - 2500;
  auto bytes = rans_encode(symbols, indexes, tables);
  auto truncated = bytes;
  truncated.resize(bytes.size() - 4);
  CHECK_THROWS_AS(rans_decode(truncated, indexes, tables), tiny::Error);
  truncated.resize(bytes.size() - 3);
  CHECK_THROWS_AS(rans_decode(truncated, indexes, tables), tiny::Error);
  auto longer = bytes;
  longer.insert(longer.end(), {0, 0, 0, 0});
  CHECK_THROWS_AS(rans_decode(longer, indexes, tables), tiny::Error);
  // Bit flips never crash: the decoder either throws or returns the right number of values
  // (detecting them is the container CRC's job).
  for (size_t b = 0; b < bytes.size(); b += 7) {
    auto flipped = bytes;
    flipped[b] ^= uint8_t(1u << (b % 8));
    size_t got = symbols.size();
    try {
      got = rans_decode(flipped, indexes, tables).size();
    } catch (const tiny::Error&) {
    }
    CHECK(got == symbols.size());
  }
  std::vector<int32_t> bad_index = indexes;
  bad_index[10] = 3;
  CHECK_THROWS_AS(rans_decode(bytes, bad_index, tables), tiny::Error);
}

TEST_CASE("rANS streaming decoder picks each table after the previous symbols") {
  auto cdfs = gaussian_cdfs(gaussian_scale_table());
  RansTables tables(cdfs);
  // An autoregressive toy: the table of symbol i depends on |symbol i-1|.
  std::mt19937 rng(3);
  std::vector<int32_t> symbols(20000), indexes(20000);
  int32_t prev = 0;
  for (size_t i = 0; i < symbols.size(); ++i) {
    indexes[i] = std::min(63, std::abs(prev) % 64);
    symbols[i] = int32_t(std::normal_distribution<float>(0, 8)(rng));
    prev = symbols[i];
  }
  for (int lanes : {4, 8}) {
    CAPTURE(lanes);
    auto bytes = rans_encode(symbols.data(), indexes.data(), symbols.size(), tables, lanes);
    RansStreamDecoder dec(bytes.data(), bytes.size(), tables);
    prev = 0;
    for (size_t i = 0; i < symbols.size(); ++i) {
      int32_t v = dec.next(std::min(63, std::abs(prev) % 64));
      REQUIRE(v == symbols[i]);
      prev = v;
    }
    CHECK_NOTHROW(dec.finish());
  }
}

TEST_CASE("rANS code length is close to the ideal on 10^6 Gaussian symbols") {
  auto cdfs = gaussian_cdfs(gaussian_scale_table());
  auto r = tiny::bench::bench_rans("gaussian", cdfs, tiny::bench::bench_symbols(cdfs, 1000000), 1, 4);
  CHECK(r.bits_per_symbol > r.ideal_bits_per_symbol);
  CHECK(r.overhead_percent < 0.5);
}

TEST_CASE("rANS round-trips 10^7 symbols") {
  auto cdfs = factorized_cdfs(16);
  RansTables tables(cdfs);
  std::mt19937 rng(11);
  std::vector<int32_t> symbols(10000000), indexes(10000000);
  for (size_t i = 0; i < symbols.size(); ++i) {
    indexes[i] = int32_t(i % 16);
    symbols[i] = int32_t(std::lround(std::normal_distribution<float>(0, 2.0f + float(i % 16))(rng)));
  }
  auto streams = rans_encode_substreams(symbols, indexes, tables, 3);
  CHECK(rans_decode_substreams(streams, indexes, tables) == symbols);
}

TEST_CASE("rANS substream bytes do not depend on the thread count") {
  std::mt19937 rng(5);
  auto cdfs = random_cdfs(rng, 8);
  RansTables tables(cdfs);
  std::vector<int32_t> symbols, indexes;
  random_symbols(rng, cdfs, 200001, symbols, indexes);
  tiny::set_thread_count(1);
  auto one = rans_encode_substreams(symbols, indexes, tables, 7);
  tiny::set_thread_count(2);
  auto two = rans_encode_substreams(symbols, indexes, tables, 7);
  tiny::set_thread_count(0);
  CHECK(one == two);
  REQUIRE(one.size() == 7);
  auto b = substream_bounds(symbols.size(), 7);
  CHECK(b.back() == symbols.size());
  CHECK(one[0] == rans_encode(std::vector<int32_t>(symbols.begin(), symbols.begin() + long(b[1])),
                              std::vector<int32_t>(indexes.begin(), indexes.begin() + long(b[1])), tables));
  CHECK(rans_decode_substreams(one, indexes, tables) == symbols);
  CHECK_THROWS_AS(substream_bounds(10, 0), tiny::Error);
}
