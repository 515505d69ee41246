// JPEG through libjpeg-turbo (tiny's image library) and WebP through libwebp.
#include "bench/codec.hpp"

#include "core/error.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"

#include <webp/decode.h>
#include <webp/encode.h>

namespace tiny::bench {
namespace {

class JpegCodec : public Codec {
public:
  explicit JpegCodec(bool chroma444) : chroma444_(chroma444) {}
  std::string name() const override { return chroma444_ ? "jpeg444" : "jpeg420"; }
  std::string setting_unit() const override { return "q"; }
  std::vector<double> qualities(bool quick) const override {
    return subsample_points({10, 20, 30, 45, 60, 75, 85, 95}, quick ? 4 : 8);
  }
  Bytes encode(const image::Image& img, double quality) const override {
    image::EncodeOptions o;
    o.quality = static_cast<int>(quality);
    o.chroma = chroma444_ ? image::Chroma::s444 : image::Chroma::s420;
    return image::encode_image(img, image::Format::jpeg, o);
  }
  image::Image decode(const Bytes& data) const override { return image::decode_image(data, name()); }

private:
  bool chroma444_;
};

class WebpCodec : public Codec {
public:
  std::string name() const override { return "webp"; }
  std::string setting_unit() const override { return "q"; }
  std::vector<double> qualities(bool quick) const override {
    return subsample_points({5, 15, 30, 45, 60, 75, 85, 95}, quick ? 4 : 8);
  }
  Bytes encode(const image::Image& img, double quality) const override {
    uint8_t* out = nullptr;
    size_t size = WebPEncodeRGB(img.pixels.data(), img.width, img.height, img.width * 3,
                                static_cast<float>(quality), &out);
    if (size == 0) throw Error("webp: encoding failed");
    Bytes bytes(out, out + size);
    WebPFree(out);
    return bytes;
  }
  image::Image decode(const Bytes& data) const override {
    int w = 0, h = 0;
    uint8_t* px = WebPDecodeRGB(data.data(), data.size(), &w, &h);
    if (!px) throw Error("webp: decoding failed");
    image::Image img = image::Image::blank(w, h);
    std::copy(px, px + img.size_bytes(), img.pixels.begin());
    WebPFree(px);
    return img;
  }
};

}  // namespace

std::unique_ptr<Codec> make_jpeg_codec(bool chroma444) { return std::make_unique<JpegCodec>(chroma444); }
std::unique_ptr<Codec> make_webp_codec() { return std::make_unique<WebpCodec>(); }

}  // namespace tiny::bench
