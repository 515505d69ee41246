// `.tic` version 2: entropy parameters on the fixed-order kernels, the latent checksum, desynchronised
// streams named as such, version 1 files still decoding, the exact reconstruction, and the same bytes
// whatever the concurrency.
#include "codec/codec.hpp"
#include "codec_fixtures.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "entropy/container.hpp"
#include "nn/threads.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace tiny;
using namespace tiny::codec;

namespace {

int max_pixel_difference(const image::Image& a, const image::Image& b) {
  int most = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) most = std::max(most, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
  return most;
}

}  // namespace

TEST_CASE("bitstreams carry the checksum of their latents") {
  const image::Image img = test::make_test_image(70, 45, 3);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 7);
    const Bytes bytes = c.compress(img);
    entropy::TicFile tic = entropy::read_tic(bytes, "mem.tic");
    CHECK(tic.version == entropy::kTicVersion);
    CHECK(tic.latent_checksum != 0);
    CHECK_NOTHROW(c.verify(bytes, "mem.tic"));
    // a checksum that does not match what the streams decode to is named as such
    tic.latent_checksum ^= 1;
    CHECK_THROWS_WITH_AS(c.verify(entropy::write_tic(tic), "sum.tic"),
                         doctest::Contains("sum.tic: entropy parameters differ from the encoder's"), Error);
  }
}

TEST_CASE("a stream decoded with other entropy parameters than its encoder's is reported as desynchronised") {
  // Two images of one size: the second's y stream read with the first's hyper-latent gets other scales.
  // (A trained model: untrained ones put every hyper-latent on its median.)
  Codec c = Codec::from_file(std::string(TINY_SOURCE_DIR) + "/models/mbt2018-mean-q1.tmodel");
  image::Image black = image::Image::blank(128, 128), noise = image::Image::blank(128, 128);
  uint32_t state = 1;
  for (uint8_t& p : noise.pixels) p = uint8_t((state = state * 1664525u + 1013904223u) >> 24);
  entropy::TicFile a = entropy::read_tic(c.compress(black), "a.tic");
  entropy::TicFile b = entropy::read_tic(c.compress(noise), "b.tic");
  REQUIRE(a.substreams[0] != b.substreams[0]);
  entropy::TicFile mixed = b;
  mixed.substreams[0] = a.substreams[0];
  CHECK_THROWS_WITH_AS(c.decompress(entropy::write_tic(mixed), "mixed.tic"),
                       doctest::Contains("mixed.tic: entropy parameters differ from the encoder's"), Error);
}

TEST_CASE("version 1 bitstreams (entropy parameters on torch) still decode") {
  const image::Image img = test::make_test_image(96, 64, 4);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 5);
    image::Image v2_recon;
    c.compress(img, &v2_recon);
    c.set_tic_version(1);
    image::Image v1_recon;
    const Bytes v1 = c.compress(img, &v1_recon);
    c.set_tic_version(2);
    CHECK(entropy::read_tic(v1, "v1.tic").version == 1);
    const image::Image decoded = c.decompress(v1, "v1.tic");
    CHECK(decoded.pixels == v1_recon.pixels);
    // the two parameter paths agree to float rounding: the same picture within a grey level or two
    CHECK(max_pixel_difference(v1_recon, v2_recon) <= 2);
    CHECK_THROWS_AS(c.set_tic_version(4), UsageError);
  }
}

TEST_CASE("the exact reconstruction is the fast one within rounding, and the same on every thread count") {
  const image::Image img = test::make_test_image(80, 64, 2);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 3);
    image::Image fast;
    const Bytes bytes = c.compress(img, &fast);
    c.set_exact_reconstruction(true);
    if (cfg.arch.rfind("cheng2020", 0) == 0) {  // attention and residual blocks have no fixed-order kernels yet
      CHECK_THROWS_WITH_AS(c.decompress(bytes, "x.tic"), doctest::Contains("not available for cheng2020"), Error);
      continue;
    }
    image::Image exact_recon;
    CHECK(c.compress(img, &exact_recon) == bytes);  // the bitstream does not depend on the reconstruction
    nn::set_torch_threads(1);
    const image::Image one = c.decompress(bytes, "x.tic");
    nn::set_torch_threads(2);
    const image::Image two = c.decompress(bytes, "x.tic");
    CHECK(one.pixels == two.pixels);
    CHECK(one.pixels == exact_recon.pixels);
    CHECK(max_pixel_difference(one, fast) <= 1);
  }
}

TEST_CASE("coding several images with several models on several threads gives the sequential bytes") {
  std::vector<Codec> codecs;
  for (const auto& cfg : test::small_configs()) codecs.push_back(Codec::untrained(cfg, 21));
  std::vector<image::Image> images;
  for (unsigned i = 0; i < 6; ++i) images.push_back(test::make_test_image(64 + 16 * int(i % 3), 48 + 8 * int(i), i));
  const size_t jobs = codecs.size() * images.size();
  std::vector<Bytes> sequential(jobs), concurrent(jobs);
  std::vector<std::vector<uint8_t>> decoded_sequential(jobs), decoded_concurrent(jobs);
  for (size_t j = 0; j < jobs; ++j) {
    const Codec& c = codecs[j % codecs.size()];
    sequential[j] = c.compress(images[j / codecs.size()]);
    decoded_sequential[j] = c.decompress(sequential[j], "seq.tic").pixels;
  }
  parallel_for(0, jobs, [&](size_t j) {
    const Codec& c = codecs[j % codecs.size()];
    concurrent[j] = c.compress(images[j / codecs.size()]);
    decoded_concurrent[j] = c.decompress(concurrent[j], "par.tic").pixels;
  });
  for (size_t j = 0; j < jobs; ++j) {
    CAPTURE(j);
    CHECK(concurrent[j] == sequential[j]);
    CHECK(decoded_concurrent[j] == decoded_sequential[j]);
  }
}
