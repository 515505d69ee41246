// `.tic` version 3: images coded in independent tiles. The geometry, round trips of every
// architecture across tile borders, seamless reconstructions, one-tile images coded exactly as
// before, headers whose tiles do not match, and images read and written band by band.
#include "codec/codec.hpp"
#include "codec/tile_grid.hpp"
#include "codec_fixtures.hpp"
#include "core/error.hpp"
#include "entropy/container.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace tiny;
using namespace tiny::codec;

namespace {

// Counts the pixels of b that differ from a's by more than `tolerance`.
size_t pixels_differing(const image::Image& a, const image::Image& b, int tolerance) {
  size_t n = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) n += std::abs(int(a.pixels[i]) - int(b.pixels[i])) > tolerance;
  return n;
}

// Reads an image in bands, remembering the largest band asked for and that rows came in order.
class CountingReader : public image::RowReader {
public:
  explicit CountingReader(const image::Image& img) : inner_(img) {}
  int width() const override { return inner_.width(); }
  int height() const override { return inner_.height(); }
  void read(uint8_t* out, int count) override {
    largest = std::max(largest, count);
    total += count;
    inner_.read(out, count);
  }
  int largest = 0, total = 0;

private:
  image::ImageRowReader inner_;
};

}  // namespace

TEST_CASE("tiles cover the padded image in raster order, with margins inside the image") {
  const TileGrid g(1100, 700, 256);
  CHECK(g.padded_width() == 1152);
  CHECK(g.padded_height() == 704);
  CHECK(g.columns() == 5);
  CHECK(g.rows() == 3);
  CHECK(g.latent_width() == 72);
  const Rect last = g.tile_pixels(4, 2);
  CHECK(last.x0 == 1024);
  CHECK(last.x1 == 1152);
  CHECK(last.y0 == 512);
  CHECK(last.y1 == 704);
  const Rect l = g.tile_latents(4, 2);
  CHECK(l.x0 == 64);
  CHECK(l.height() == 12);
  const Rect a = g.analysis_window(0, 1);
  CHECK(a.x0 == 0);
  CHECK(a.x1 == 256 + kAnalysisMargin);
  CHECK(a.y0 == 256 - kAnalysisMargin);
  const Rect s = g.synthesis_window(4, 0);
  CHECK(s.x0 == 64 - kSynthesisMargin);
  CHECK(s.x1 == 72);
  CHECK(s.y0 == 0);
  CHECK(s.y1 == 16 + kSynthesisMargin);
  CHECK(TileGrid(64, 64, 1024).count() == 1);
  CHECK_THROWS_AS(TileGrid(64, 64, 100), Error);
  CHECK_THROWS_AS(TileGrid(0, 64, 64), Error);
}

TEST_CASE("every architecture decodes a tiled image to exactly the encoder's reconstruction") {
  const image::Image img = test::make_test_image(150, 100, 5);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 3);
    c.set_tile_size(64);
    image::Image recon;
    const Bytes bytes = c.compress(img, &recon);
    const entropy::TicFile tic = entropy::read_tic(bytes, "t.tic");
    CHECK(tic.version == 3);
    CHECK(tic.tile_size == 64);
    CHECK(tic.substreams.size() == 3 * 2 * (cfg.arch == "bmshj2018-factorized" ? 1 : 2));
    CHECK_NOTHROW(c.verify(bytes, "t.tic"));
    const image::Image back = c.decompress(bytes, "t.tic");
    CHECK(back.pixels == recon.pixels);
    // A decoder that reads with another tile size still decodes: the size is the file's.
    c.set_tile_size(1024);
    CHECK(c.decompress(bytes, "t.tic").pixels == recon.pixels);
  }
}

TEST_CASE("tile borders leave no seams: the reconstruction is the whole image's") {
  // The factorized prior's latents depend on the analysis alone, so with margins wider than the
  // transforms' receptive fields a tiled image has the whole image's latents and pixels (to float
  // rounding, which may move a rounding boundary at a rare latent).
  const image::Image img = test::make_test_image(300, 190, 9);
  const auto configs = test::small_configs();
  Codec c = Codec::untrained(configs[0], 11);
  REQUIRE(c.info().arch == "bmshj2018-factorized");
  image::Image whole, tiled;
  c.compress(img, &whole);
  c.set_tile_size(64);
  c.compress(img, &tiled);
  CHECK(pixels_differing(whole, tiled, 1) <= whole.pixels.size() / 1000);
}

TEST_CASE("an image that fits one tile is coded as version 2 coded it") {
  const image::Image img = test::make_test_image(120, 80, 2);
  for (const auto& cfg : test::small_configs()) {
    CAPTURE(cfg.arch);
    Codec c = Codec::untrained(cfg, 5);
    image::Image r3, r2;
    const entropy::TicFile v3 = entropy::read_tic(c.compress(img, &r3), "3.tic");
    c.set_tic_version(2);
    const entropy::TicFile v2 = entropy::read_tic(c.compress(img, &r2), "2.tic");
    CHECK(v3.substreams == v2.substreams);
    CHECK(v3.latent_checksum == v2.latent_checksum);
    CHECK(r3.pixels == r2.pixels);
  }
}

TEST_CASE("a header whose tiles do not match its streams is refused, naming the file") {
  // A trained model: an untrained one codes every tile of a smooth image with the same symbols.
  Codec c = Codec::from_file(std::string(TINY_SOURCE_DIR) + "/models/mbt2018-mean-q1.tmodel");
  c.set_tile_size(64);
  entropy::TicFile tic = entropy::read_tic(c.compress(test::make_test_image(130, 70, 1)), "t.tic");
  tic.tile_size = 128;
  CHECK_THROWS_WITH_AS(c.decompress(entropy::write_tic(tic), "tiles.tic"),
                       doctest::Contains("tiles.tic: bitstream header does not match"), Error);
  tic.tile_size = 64;
  REQUIRE(tic.substreams[1] != tic.substreams[3]);
  std::swap(tic.substreams[1], tic.substreams[3]);
  CHECK_THROWS_WITH_AS(c.decompress(entropy::write_tic(tic), "swapped.tic"),
                       doctest::Contains("swapped.tic: entropy parameters differ"), Error);
}

TEST_CASE("a tiled image is read in bands no taller than a tile and its margins") {
  const image::Image img = test::make_test_image(100, 600, 4);
  Codec c = Codec::untrained(test::small_configs()[2], 1);
  c.set_tile_size(128);
  CountingReader rows(img);
  image::ImageRowWriter recon;
  const Bytes bytes = c.compress(rows, &recon);
  CHECK(rows.total == 600);
  CHECK(rows.largest <= 128 + 2 * kAnalysisMargin);
  CHECK(recon.take().pixels == c.decompress(bytes, "b.tic").pixels);
}
