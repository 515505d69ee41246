// AVIF through libavif (whichever AV1 encoder it was built with), 4:2:0, 8-bit. The "quality"
// points are AV1 quantizers 0..63 (lower is better), highest first; encoder speed 8.
#include "bench/codec.hpp"

#include "core/error.hpp"

#include <avif/avif.h>

#include <fmt/format.h>

#include <memory>

namespace tiny::bench {
namespace {

using AvifImagePtr = std::unique_ptr<avifImage, void (*)(avifImage*)>;

class AvifCodec : public Codec {
public:
  std::string name() const override { return "avif"; }
  std::string setting_unit() const override { return "qp"; }
  std::vector<double> qualities(bool quick) const override {
    return subsample_points({56, 50, 44, 38, 32, 26, 20, 14}, quick ? 4 : 8);
  }
  Bytes encode(const image::Image& img, double quantizer) const override {
    AvifImagePtr yuv(avifImageCreate(img.width, img.height, 8, AVIF_PIXEL_FORMAT_YUV420), avifImageDestroy);
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, yuv.get());
    rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.pixels = const_cast<uint8_t*>(img.pixels.data());
    rgb.rowBytes = static_cast<uint32_t>(img.width * 3);
    check(avifImageRGBToYUV(yuv.get(), &rgb), "RGB to YUV");
    std::unique_ptr<avifEncoder, void (*)(avifEncoder*)> enc(avifEncoderCreate(), avifEncoderDestroy);
    const int q = static_cast<int>(quantizer);
    enc->minQuantizer = enc->maxQuantizer = q;
    enc->speed = 8;
    enc->maxThreads = 1;
    avifRWData out = AVIF_DATA_EMPTY;
    check(avifEncoderWrite(enc.get(), yuv.get(), &out), "encoding");
    Bytes bytes(out.data, out.data + out.size);
    avifRWDataFree(&out);
    return bytes;
  }
  image::Image decode(const Bytes& data) const override {
    AvifImagePtr yuv(avifImageCreateEmpty(), avifImageDestroy);
    std::unique_ptr<avifDecoder, void (*)(avifDecoder*)> dec(avifDecoderCreate(), avifDecoderDestroy);
    dec->maxThreads = 1;
    check(avifDecoderReadMemory(dec.get(), yuv.get(), data.data(), data.size()), "decoding");
    image::Image img = image::Image::blank(static_cast<int>(yuv->width), static_cast<int>(yuv->height));
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, yuv.get());
    rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.depth = 8;
    rgb.pixels = img.pixels.data();
    rgb.rowBytes = static_cast<uint32_t>(img.width * 3);
    check(avifImageYUVToRGB(yuv.get(), &rgb), "YUV to RGB");
    return img;
  }

private:
  static void check(avifResult r, const char* what) {
    if (r != AVIF_RESULT_OK) throw Error(fmt::format("avif: {} failed: {}", what, avifResultToString(r)));
  }
};

}  // namespace

std::unique_ptr<Codec> make_avif_codec() { return std::make_unique<AvifCodec>(); }

}  // namespace tiny::bench
