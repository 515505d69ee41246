#include "fuzz_decode_entry.hpp"

#include "../codec/codec_fixtures.hpp"
#include "core/error.hpp"
#include "entropy/container.hpp"
#include "entropy/crc32.hpp"

namespace tiny::fuzz {
namespace {

// Takes the decoded rows and drops them: the target checks decoding, not the pixels.
class DiscardRows : public image::RowWriter {
public:
  void start(int, int) override {}
  void write(const uint8_t*, int) override {}
};

}  // namespace

Bytes sealed(const uint8_t* data, size_t size) {
  Bytes bytes(data, data + size);
  if (size < 4) return bytes;
  const uint32_t crc = entropy::crc32(bytes.data(), size - 4);
  for (size_t i = 0; i < 4; ++i) bytes[size - 4 + i] = uint8_t(crc >> (8 * i));
  return bytes;
}

codec::Codec make_decode_codec(const codec::ArchConfig& config) { return codec::Codec::untrained(config, 1); }

const std::vector<codec::Codec>& decode_codecs() {
  static const std::vector<codec::Codec> codecs = [] {
    std::vector<codec::Codec> v;
    for (const auto& config : test::small_configs()) v.push_back(make_decode_codec(config));
    return v;
  }();
  return codecs;
}

void fuzz_decode_one(const uint8_t* data, size_t size) {
  const Bytes bytes = sealed(data, size);
  try {
    const entropy::TicFile tic = entropy::read_tic(bytes, "fuzz.tic");
    if (uint64_t(tic.width) * tic.height > kDecodeMaxPixels) return;
    for (const auto& codec : decode_codecs()) {
      if (codec.info().hash != tic.model_hash) continue;
      DiscardRows rows;
      codec.decompress(bytes, "fuzz.tic", rows);
    }
  } catch (const Error&) {
  }
}

}  // namespace tiny::fuzz
