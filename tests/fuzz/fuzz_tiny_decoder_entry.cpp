#include "fuzz_tiny_decoder_entry.hpp"

#include "../codec/codec_fixtures.hpp"
#include "codec/codec.hpp"
#include "core/error.hpp"
#include "decoder/decoder.hpp"
#include "entropy/container.hpp"
#include "fuzz_decode_entry.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>

namespace tiny::fuzz {
namespace {

// One model both ways: the torch codec with its exact synthesis, and the decoder on the same weights.
struct Pair {
  codec::Codec torch_codec;
  decoder::Model model;
};

const std::vector<Pair>& pairs() {
  static const std::vector<Pair> all = [] {
    std::vector<Pair> v;
    for (const auto& config : test::small_configs()) {
      if (!decoder::supported_architecture(config.arch)) continue;
      codec::Codec c = make_decode_codec(config);
      c.set_exact_reconstruction(true);
      codec::ModelFile file = c.model_file();
      const Bytes bytes = codec::serialize_model(file);
      decoder::Model m = decoder::Model::from_bytes(bytes.data(), bytes.size(), config.arch);
      v.push_back({std::move(c), std::move(m)});
    }
    return v;
  }();
  return all;
}


[[noreturn]] void differ(const std::string& what) {
  std::fprintf(stderr, "fuzz_tiny_decoder: the decoder and the torch codec differ: %s\n", what.c_str());
  std::abort();
}

}  // namespace

void fuzz_tiny_decoder_one(const uint8_t* data, size_t size) {
  const Bytes bytes = sealed(data, size);
  entropy::TicFile tic;
  try {
    tic = entropy::read_tic(bytes, "fuzz.tic");
  } catch (const Error&) {
    return;
  }
  if (uint64_t(tic.width) * tic.height > kDecodeMaxPixels) return;
  for (const Pair& p : pairs()) {
    if (p.model.hash() != tic.model_hash) continue;
    std::optional<image::Image> expected;
    std::string torch_error;
    try {
      expected = p.torch_codec.decompress(bytes, "fuzz.tic");
    } catch (const Error& e) {
      torch_error = e.what();
    }
    std::optional<std::vector<uint8_t>> got;
    std::string decoder_error;
    try {
      decoder::ImageSize s;
      got = decoder::decode(p.model, bytes.data(), bytes.size(), "fuzz.tic", s);
    } catch (const decoder::DecodeError& e) {
      decoder_error = e.what();
    }
    if (tic.version < 2) {  // the decoder refuses version 1 (torch-kernel parameters) by design
      if (got) differ("a version 1 bitstream decoded");
      continue;
    }
    if (expected.has_value() != got.has_value())
      differ(expected ? "only the torch codec decoded (decoder: " + decoder_error + ")"
                      : "only the decoder decoded (torch: " + torch_error + ")");
    if (expected && expected->pixels != *got) differ("the pixels");
  }
}

}  // namespace tiny::fuzz
