// The decoder's fast synthesis (oneDNN) gives the torch codec's pixels (plain `tiny decompress`) on the
// same machine, whatever the thread count, within a few grey levels of the exact synthesis; the
// band-by-band decode hands on the image's rows in order, and the C API's mode and row callback.
#include "core/threads.hpp"
#include "decoder/decoder.hpp"
#include "decoder/tiny_decoder.h"
#include "decoder_fixtures.hpp"
#include "onednn/transform.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

namespace tiny {
namespace {

const std::string kShipped = std::string(TINY_SOURCE_DIR) + "/models/mbt2018-mean-q1.tmodel";

std::vector<uint8_t> decode_with(const decoder::Model& model, const Bytes& tic, decoder::Synthesis mode) {
  decoder::ImageSize size;
  return decoder::decode(model, tic.data(), tic.size(), "x.tic", size, mode);
}

// Fast mode against the torch codec's default reconstruction (oneDNN's kernels there too, where built
// in; exact mode and the codec's exact reconstruction where not).
void check_torch_pixels(const std::string& model_path, const Bytes& tic) {
  codec::Codec torch_codec = codec::Codec::from_file(model_path);
  torch_codec.set_exact_reconstruction(!onednn::Transform::available());
  const image::Image expected = torch_codec.decompress(tic, "x.tic");
  const std::vector<uint8_t> rgb = decode_with(decoder::Model::from_file(model_path), tic, decoder::Synthesis::fast);
  REQUIRE(rgb.size() == expected.pixels.size());
  size_t differing = 0;
  for (size_t i = 0; i < rgb.size(); ++i) differing += rgb[i] != expected.pixels[i];
  CHECK(differing == 0);
}

TEST_CASE("fast mode gives the torch codec's pixels: the shipped model, one tile and many") {
  if (!onednn::Transform::available()) MESSAGE("built without oneDNN: fast mode is the exact synthesis");
  const image::Image img = test::make_test_image(200, 136, 5);
  check_torch_pixels(kShipped, test::compress_with(kShipped, img));
  check_torch_pixels(kShipped, test::compress_with(kShipped, img, 128));
}

TEST_CASE("fast mode gives the torch codec's pixels: a variable-rate model between and at whole qualities") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "mbt2018-mean-vr");
  const image::Image img = test::make_test_image(96, 64, 9);
  for (double q : {1.0, 2.5, 6.0}) {
    CAPTURE(q);
    check_torch_pixels(path, test::compress_with(path, img, 0, q));
  }
}

TEST_CASE("fast mode: the same pixels on 1 and 2 threads, within 3 grey levels of the exact synthesis") {
  const Bytes tic = test::compress_with(kShipped, test::make_test_image(160, 120, 4), 64);
  const decoder::Model model = decoder::Model::from_file(kShipped);
  set_thread_count(1);
  const std::vector<uint8_t> one = decode_with(model, tic, decoder::Synthesis::fast);
  set_thread_count(2);
  const std::vector<uint8_t> two = decode_with(model, tic, decoder::Synthesis::fast);
  set_thread_count(0);
  CHECK(one == two);
  const std::vector<uint8_t> exact = decode_with(model, tic, decoder::Synthesis::exact);
  REQUIRE(exact.size() == one.size());
  int worst = 0;
  for (size_t i = 0; i < one.size(); ++i) worst = std::max(worst, std::abs(int(one[i]) - int(exact[i])));
  CHECK(worst <= 3);
}

TEST_CASE("decode_rows hands on every row once, top to bottom, as decode() places them") {
  const Bytes tic = test::compress_with(kShipped, test::make_test_image(150, 140, 6), 64);  // 3 rows of tiles
  const decoder::Model model = decoder::Model::from_file(kShipped);
  for (decoder::Synthesis mode : {decoder::Synthesis::exact, decoder::Synthesis::fast}) {
    std::vector<uint8_t> joined;
    decoder::ImageSize size;
    uint32_t next = 0, bands = 0;
    decoder::RowSink sink;
    sink.start = [&](decoder::ImageSize s) { size = s; };
    sink.rows = [&](const uint8_t* rgb, uint32_t first, uint32_t count) {
      CHECK(first == next);
      next = first + count;
      ++bands;
      joined.insert(joined.end(), rgb, rgb + size_t(count) * size.width * 3);
    };
    decoder::decode_rows(model, tic.data(), tic.size(), "x.tic", mode, sink);
    CHECK(next == 140);
    CHECK(bands == 3);
    CHECK(joined == decode_with(model, tic, mode));
  }
}

struct Collected {
  std::vector<uint8_t> rgb;
  uint32_t bands = 0, stop_after = 0;
};

int collect(void* user, const uint8_t* rgb, uint32_t, uint32_t rows, uint32_t width, uint32_t) {
  auto* c = static_cast<Collected*>(user);
  c->rgb.insert(c->rgb.end(), rgb, rgb + size_t(rows) * width * 3);
  return ++c->bands == c->stop_after;
}

TEST_CASE("C API: the row callback decode, its stop, and the exact and fast modes") {
  const Bytes tic = test::compress_with(kShipped, test::make_test_image(120, 150, 8), 64);
  tiny_decoder_model* model = nullptr;
  REQUIRE(tiny_decoder_model_load_file(kShipped.c_str(), &model) == TINY_DECODER_OK);
  const decoder::Model cpp = decoder::Model::from_file(kShipped);
  for (int exact : {1, 0}) {
    CAPTURE(exact);
    tiny_decoder_set_exact(exact);
    Collected all;
    REQUIRE(tiny_decoder_decode_rows(model, tic.data(), tic.size(), &collect, &all) == TINY_DECODER_OK);
    CHECK(all.rgb == decode_with(cpp, tic, exact ? decoder::Synthesis::exact : decoder::Synthesis::fast));
  }
  tiny_decoder_set_exact(1);
  Collected first;
  first.stop_after = 1;
  CHECK(tiny_decoder_decode_rows(model, tic.data(), tic.size(), &collect, &first) == TINY_DECODER_STOPPED);
  CHECK(first.bands == 1);
  CHECK(tiny_decoder_decode_rows(model, tic.data(), tic.size(), nullptr, nullptr) == TINY_DECODER_INVALID_ARGUMENT);
  tiny_decoder_model_free(model);
}

}  // namespace
}  // namespace tiny
