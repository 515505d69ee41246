// Bad input through the C API: damaged bitstreams, the wrong model, bad or unsupported models, short
// buffers and null arguments give their status and a one-line message, never a crash.
#include "decoder/tiny_decoder.h"
#include "decoder_fixtures.hpp"
#include "entropy/crc32.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

namespace tiny {
namespace {

struct ModelHandle {
  explicit ModelHandle(const std::string& path) { REQUIRE(tiny_decoder_model_load_file(path.c_str(), &model) == TINY_DECODER_OK); }
  ~ModelHandle() { tiny_decoder_model_free(model); }
  tiny_decoder_model* model = nullptr;
};

// Decodes into a buffer of the declared size (at least one byte); returns the status.
tiny_decoder_status decode(const ModelHandle& m, const Bytes& tic) {
  uint8_t* rgb = nullptr;
  uint32_t w = 0, h = 0;
  const tiny_decoder_status s = tiny_decoder_decode_alloc(m.model, tic.data(), tic.size(), &rgb, &w, &h);
  if (s != TINY_DECODER_OK) CHECK(rgb == nullptr);
  tiny_decoder_free(rgb);
  return s;
}

std::string message() { return tiny_decoder_last_error(); }

// The bytes with the container's CRC computed again, so that a change reaches the decoder.
Bytes resealed(Bytes b) {
  const uint32_t crc = entropy::crc32(b.data(), b.size() - 4);
  for (int i = 0; i < 4; ++i) b[b.size() - 4 + size_t(i)] = uint8_t(crc >> (8 * i));
  return b;
}

TEST_CASE("damaged and truncated bitstreams are refused with a message") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "mbt2018-mean");
  const Bytes tic = test::compress_with(path, test::make_test_image(96, 64));
  const ModelHandle m(path);
  REQUIRE(decode(m, tic) == TINY_DECODER_OK);
  for (size_t keep : {size_t(0), size_t(3), size_t(20), tic.size() / 2, tic.size() - 1}) {
    CAPTURE(keep);
    CHECK(decode(m, Bytes(tic.begin(), tic.begin() + ptrdiff_t(keep))) == TINY_DECODER_BAD_BITSTREAM);
    CHECK(message().find("<tic>") != std::string::npos);
  }
  Bytes flipped = tic;
  flipped[tic.size() / 2] ^= 0x10;
  CHECK(decode(m, flipped) == TINY_DECODER_BAD_BITSTREAM);
  CHECK(message().find("CRC") != std::string::npos);
  // Every byte of the payload changed, the CRC made right: the decoder must fail cleanly or decode.
  int refused = 0;
  for (size_t i = tic.size() - 40; i < tic.size() - 4; ++i) {
    Bytes b = tic;
    b[i] ^= 0xA5;
    const tiny_decoder_status s = decode(m, resealed(b));
    CHECK((s == TINY_DECODER_OK || s == TINY_DECODER_BAD_BITSTREAM));
    if (s != TINY_DECODER_OK) {
      ++refused;
      CHECK(!message().empty());
      CHECK(message().find('\n') == std::string::npos);
    }
  }
  CHECK(refused > 0);
}

TEST_CASE("a bitstream of another model is refused as such") {
  test::TempDir dir;
  const std::string a = test::save_untrained(dir, "mbt2018-mean", 1), b = test::save_untrained(dir, "mbt2018-mean", 2);
  const Bytes tic = test::compress_with(a, test::make_test_image(64, 64));
  const ModelHandle other(b);
  CHECK(decode(other, tic) == TINY_DECODER_WRONG_MODEL);
  CHECK(message().find("another model") != std::string::npos);
  const ModelHandle factorized(test::save_untrained(dir, "bmshj2018-factorized"));
  CHECK(decode(factorized, tic) == TINY_DECODER_WRONG_MODEL);
}

TEST_CASE("bad and unsupported models are refused with a message") {
  test::TempDir dir;
  tiny_decoder_model* model = nullptr;
  const char garbage[] = "not a model at all";
  CHECK(tiny_decoder_model_load(garbage, sizeof garbage, &model) == TINY_DECODER_BAD_MODEL);
  CHECK(model == nullptr);
  CHECK(message().find("<model>") != std::string::npos);
  const Bytes bytes = read_file(test::save_untrained(dir, "bmshj2018-hyperprior"));
  CHECK(tiny_decoder_model_load(bytes.data(), bytes.size() - 9, &model) == TINY_DECODER_BAD_MODEL);
  CHECK(tiny_decoder_model_load_file(dir.file("absent.tmodel").c_str(), &model) == TINY_DECODER_BAD_MODEL);
  CHECK(message().find("absent.tmodel") != std::string::npos);
  for (const char* arch : {"mbt2018", "cheng2020-anchor"}) {
    CAPTURE(arch);
    CHECK(tiny_decoder_model_load_file(test::save_untrained(dir, arch).c_str(), &model) == TINY_DECODER_UNSUPPORTED);
    CHECK(message().find(std::string("'") + arch + "'") != std::string::npos);
  }
  CHECK(model == nullptr);
}

TEST_CASE("short buffers and null arguments are refused") {
  test::TempDir dir;
  const std::string path = test::save_untrained(dir, "bmshj2018-factorized");
  const Bytes tic = test::compress_with(path, test::make_test_image(70, 50));
  const ModelHandle m(path);
  uint32_t w = 0, h = 0;
  REQUIRE(tiny_decoder_image_size(tic.data(), tic.size(), &w, &h) == TINY_DECODER_OK);
  CHECK(w == 70);
  CHECK(h == 50);
  std::vector<uint8_t> rgb(size_t(w) * h * 3 - 1);
  CHECK(tiny_decoder_decode(m.model, tic.data(), tic.size(), rgb.data(), rgb.size()) == TINY_DECODER_BUFFER_TOO_SMALL);
  CHECK(message().find("10500") != std::string::npos);
  rgb.resize(size_t(w) * h * 3);
  CHECK(tiny_decoder_decode(m.model, tic.data(), tic.size(), rgb.data(), rgb.size()) == TINY_DECODER_OK);
  CHECK(tiny_decoder_decode(nullptr, tic.data(), tic.size(), rgb.data(), rgb.size()) == TINY_DECODER_INVALID_ARGUMENT);
  CHECK(tiny_decoder_model_load(nullptr, 0, nullptr) == TINY_DECODER_INVALID_ARGUMENT);
  tiny_decoder_model* none = nullptr;
  CHECK(tiny_decoder_model_load(nullptr, 5, &none) == TINY_DECODER_INVALID_ARGUMENT);
  CHECK(none == nullptr);
  CHECK(std::string(tiny_decoder_model_arch(m.model)) == "bmshj2018-factorized");
}

}  // namespace
}  // namespace tiny
