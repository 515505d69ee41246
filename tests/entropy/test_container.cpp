#include "core/error.hpp"
#include "entropy/container.hpp"
#include "entropy/crc32.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace tiny::entropy;

namespace {

TicFile sample_tic() {
  TicFile t;
  t.arch = "mbt2018-mean";
  t.quality = 3;
  t.model_hash = 0x0123456789abcdefull;
  t.width = 768;
  t.height = 512;
  t.latent_shapes = {{192, 32, 48}, {128, 8, 12}};
  t.substreams = {{1, 2, 3, 4, 5}, {}, {9, 8, 7}};
  t.tile_size = 1024;
  return t;
}

void check_rejected(const tiny::Bytes& data, const char* expected) {
  try {
    read_tic(data, "x.tic");
    FAIL("accepted a bad .tic file, expected: " << expected);
  } catch (const tiny::Error& e) {
    CHECK(std::string(e.what()).find("x.tic") != std::string::npos);
    CHECK_MESSAGE(std::string(e.what()).find(expected) != std::string::npos, std::string(e.what()));
  }
}

}  // namespace

TEST_CASE("crc32 matches the standard check value") {
  const char* s = "123456789";
  CHECK(crc32(reinterpret_cast<const uint8_t*>(s), 9) == 0xCBF43926u);
  CHECK(crc32(nullptr, 0) == 0);
  CHECK(crc32(reinterpret_cast<const uint8_t*>(s) + 4, 5, crc32(reinterpret_cast<const uint8_t*>(s), 4)) ==
        0xCBF43926u);
}

TEST_CASE(".tic round-trips every field") {
  TicFile t = sample_tic();
  t.color = ColorFormat::gray8;
  tiny::Bytes data = write_tic(t);
  CHECK(is_tic(data));
  TicFile r = read_tic(data, "x.tic");
  CHECK(r.arch == t.arch);
  CHECK(r.quality == 3);
  CHECK(r.model_hash == t.model_hash);
  CHECK(r.width == 768);
  CHECK(r.height == 512);
  CHECK(r.color == ColorFormat::gray8);
  CHECK(r.latent_shapes == t.latent_shapes);
  CHECK(r.substreams == t.substreams);
  CHECK_FALSE(r.wavefront);
  auto j = describe_tic(r);
  CHECK(j["model_hash"] == "0123456789abcdef");
  CHECK(j["payload_bytes"] == 8);
  CHECK(j["symbol_order"] == "raster");
  t.wavefront = true;
  CHECK(read_tic(write_tic(t), "w.tic").wavefront);
}

TEST_CASE(".tic rejects flag bits it does not know") {
  tiny::Bytes d = write_tic(sample_tic());
  d[6] = 0x02;  // flags follow magic (4) and version (2)
  uint32_t c = crc32(d.data(), d.size() - 4);
  for (int i = 0; i < 4; ++i) d[d.size() - 4 + size_t(i)] = uint8_t(c >> (8 * i));
  CHECK_THROWS_WITH_AS(read_tic(d, "f.tic"), doctest::Contains("unknown .tic flags"), tiny::Error);
}

TEST_CASE(".tic files on disk") {
  tiny::test::TempDir dir;
  write_tic_file(dir.file("a.tic"), sample_tic(), false);
  CHECK(is_tic_file(dir.file("a.tic")));
  CHECK_FALSE(is_tic_file(dir.file("missing.tic")));
  CHECK(read_tic_file(dir.file("a.tic")).substreams == sample_tic().substreams);
  CHECK_THROWS_AS(write_tic_file(dir.file("a.tic"), sample_tic(), false), tiny::Error);
}

TEST_CASE(".tic rejects empty, wrong-magic, truncated and bit-flipped files") {
  tiny::Bytes good = write_tic(sample_tic());
  check_rejected({}, "empty");
  tiny::Bytes magic = good;
  magic[1] = 'X';
  check_rejected(magic, "bad magic");
  for (size_t n = 4; n < good.size(); ++n) {
    tiny::Bytes cut(good.begin(), good.begin() + long(n));
    CHECK_THROWS_AS(read_tic(cut, "x.tic"), tiny::Error);
  }
  for (size_t bit = 32; bit < good.size() * 8; ++bit) {
    tiny::Bytes flipped = good;
    flipped[bit / 8] ^= uint8_t(1u << (bit % 8));
    CHECK_THROWS_AS(read_tic(flipped, "x.tic"), tiny::Error);
  }
  tiny::Bytes longer = good;
  longer.insert(longer.end() - 4, uint8_t(0));
  check_rejected(longer, "CRC");
}

TEST_CASE(".tic rejects oversized lengths and counts even with a valid CRC") {
  // Rewrites a field and recomputes the CRC, so the structural checks themselves are tested.
  auto patched = [](size_t offset, uint32_t value) {
    tiny::Bytes d = write_tic(sample_tic());
    for (int i = 0; i < 4; ++i) d[offset + size_t(i)] = uint8_t(value >> (8 * i));
    uint32_t c = crc32(d.data(), d.size() - 4);
    for (int i = 0; i < 4; ++i) d[d.size() - 4 + size_t(i)] = uint8_t(c >> (8 * i));
    return d;
  };
  // Layout: magic 4, version 2, flags 2, arch len 1 + 12, quality 4, hash 8, size 8, colour 1,
  // latent checksum 4, tile size 4, latent count 1, shapes (1 + 12) + (1 + 12), substream count 4,
  // lengths 3 x 4.
  const size_t tile_at = 4 + 2 + 2 + 1 + 12 + 4 + 8 + 8 + 1 + 4;
  size_t count_at = tile_at + 4 + 1 + 13 + 13;
  check_rejected(patched(tile_at, 0), "tile size 0");
  check_rejected(patched(tile_at, 1000), "tile size 1000");
  check_rejected(patched(tile_at, 1u << 17), "tile size");
  check_rejected(patched(count_at, 0xFFFFFFFFu), "substream count");
  check_rejected(patched(count_at, 6), "substream count");
  check_rejected(patched(count_at + 4, 0x7FFFFFFFu), "substream lengths");
  check_rejected(patched(count_at + 4, 4), "substream lengths");
  tiny::Bytes dims = patched(count_at - 13, 0);
  check_rejected(dims, "dimensions");
}

TEST_CASE(".tic versions 1 (no latent checksum) and 2 (no tiles) are still read; other versions are refused by name") {
  TicFile t = sample_tic();
  t.latent_checksum = 0x12345678;
  TicFile back = read_tic(write_tic(t), "v3.tic");
  CHECK(back.version == 3);
  CHECK(back.tile_size == 1024);
  CHECK(describe_tic(back)["tile_size"] == 1024);
  t.version = 2;
  const tiny::Bytes v2 = write_tic(t);
  CHECK(v2.size() + 4 == write_tic(sample_tic()).size());
  back = read_tic(v2, "v2.tic");
  CHECK(back.version == 2);
  CHECK(back.tile_size == 0);
  CHECK(back.latent_checksum == 0x12345678);
  t.version = 1;
  const tiny::Bytes v1 = write_tic(t);
  CHECK(v1.size() + 4 == v2.size());
  back = read_tic(v1, "v1.tic");
  CHECK(back.version == 1);
  CHECK(back.latent_checksum == 0);
  CHECK(back.substreams == t.substreams);
  CHECK(describe_tic(back)["entropy_parameters"] != "fixed-order");
  tiny::Bytes v4 = write_tic(sample_tic());
  v4[4] = 4;
  uint32_t c = crc32(v4.data(), v4.size() - 4);
  for (int i = 0; i < 4; ++i) v4[v4.size() - 4 + size_t(i)] = uint8_t(c >> (8 * i));
  CHECK_THROWS_WITH_AS(read_tic(v4, "v4.tic"), doctest::Contains("unsupported .tic version 4"), tiny::Error);
  t.version = 4;
  CHECK_THROWS_AS(write_tic(t), tiny::Error);
  t.version = 3;
  t.tile_size = 96;
  CHECK_THROWS_AS(write_tic(t), tiny::Error);
}

TEST_CASE(".tic writer validates its fields") {
  TicFile t = sample_tic();
  t.arch = "";
  CHECK_THROWS_AS(write_tic(t), tiny::Error);
  t.arch = "has space";
  CHECK_THROWS_AS(write_tic(t), tiny::Error);
  t = sample_tic();
  t.latent_shapes.push_back({});
  CHECK_THROWS_AS(write_tic(t), tiny::Error);
}
