// The torch-free decoder gives the pixels of the torch codec's exact reconstruction (`tiny decompress
// --exact`) for every architecture it supports, every weight storage, one tile or many.
#include "codec/quantize.hpp"
#include "core/threads.hpp"
#include "decoder/decoder.hpp"
#include "decoder_fixtures.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace tiny {
namespace {

// Decodes `tic` with the decoder and with the torch codec's exact synthesis; requires the same pixels.
void check_same_pixels(const std::string& model_path, const Bytes& tic) {
  codec::Codec torch_codec = codec::Codec::from_file(model_path);
  torch_codec.set_exact_reconstruction(true);
  const image::Image exact = torch_codec.decompress(tic, "x.tic");
  const decoder::Model model = decoder::Model::from_file(model_path);
  decoder::ImageSize size;
  const std::vector<uint8_t> rgb = decoder::decode(model, tic.data(), tic.size(), "x.tic", size);
  REQUIRE(size.width == uint32_t(exact.width));
  REQUIRE(size.height == uint32_t(exact.height));
  size_t differing = 0;
  for (size_t i = 0; i < rgb.size(); ++i) differing += rgb[i] != exact.pixels[i];
  CHECK(differing == 0);
  // Not a blank picture: the comparison means something.
  bool varied = false;
  for (size_t i = 3; i < rgb.size() && !varied; ++i) varied = rgb[i] != rgb[i % 3];
  CHECK(varied);
}

TEST_CASE("every supported architecture decodes to the exact torch pixels, in one tile and in many") {
  test::TempDir dir;
  const image::Image img = test::make_test_image(150, 100, 3);
  for (const auto& arch : codec::architectures()) {
    if (!decoder::supported_architecture(arch)) continue;
    CAPTURE(arch);
    const std::string path = test::save_untrained(dir, arch);
    const double quality = codec::rate_levels(arch) > 0 ? 3 : -1;
    check_same_pixels(path, test::compress_with(path, img, 0, quality));
    check_same_pixels(path, test::compress_with(path, img, 64, quality));  // 3 x 2 tiles
  }
}

TEST_CASE("the shipped mbt2018-mean model decodes to the exact torch pixels") {
  const std::string path = std::string(TINY_SOURCE_DIR) + "/models/mbt2018-mean-q1.tmodel";
  const image::Image img = test::make_test_image(200, 136, 5);
  check_same_pixels(path, test::compress_with(path, img));
  check_same_pixels(path, test::compress_with(path, img, 128));
}

TEST_CASE("a variable-rate model decodes to the exact torch pixels at every whole quality") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "mbt2018-mean-vr");
  const image::Image img = test::make_test_image(96, 64, 9);
  for (double q : {0.0, 1.0, 2.0, 6.0}) {
    CAPTURE(q);
    check_same_pixels(path, test::compress_with(path, img, 0, q));
  }
}

TEST_CASE("float16, int8 and q4 weights decode to the exact torch pixels") {
  test::TempDir dir;
  const image::Image img = test::make_test_image(80, 72, 11);
  const codec::Codec untrained = codec::Codec::untrained(test::small_config("mbt2018-mean"), 3);
  const std::string half = dir.file("half.tmodel");
  untrained.save(half, true, true);
  check_same_pixels(half, test::compress_with(half, img));
  for (codec::Quantization q : {codec::Quantization::int8, codec::Quantization::q4}) {
    codec::ModelFile f = untrained.model_file();
    CHECK(codec::quantize_model(f, q).converted > 0);
    const std::string path = dir.file(q == codec::Quantization::int8 ? "int8.tmodel" : "q4.tmodel");
    codec::write_model_file(path, f, true);
    check_same_pixels(path, test::compress_with(path, img));
  }
}

TEST_CASE("the decoder gives the same pixels on 1 and 2 threads") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "mbt2018-mean");
  const Bytes tic = test::compress_with(path, test::make_test_image(130, 90, 2), 64);
  const decoder::Model model = decoder::Model::from_file(path);
  decoder::ImageSize size;
  set_thread_count(1);
  const std::vector<uint8_t> one = decoder::decode(model, tic.data(), tic.size(), "x.tic", size);
  set_thread_count(2);
  const std::vector<uint8_t> two = decoder::decode(model, tic.data(), tic.size(), "x.tic", size);
  set_thread_count(0);
  CHECK(one == two);
}

}  // namespace
}  // namespace tiny
