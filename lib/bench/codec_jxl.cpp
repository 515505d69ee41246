// JPEG XL through libjxl, lossy (VarDCT) at effort 3. The "quality" points are Butteraugli
// distances (lower is better), highest first.
#include "bench/codec.hpp"

#include "core/error.hpp"

#include <jxl/decode_cxx.h>
#include <jxl/encode_cxx.h>

namespace tiny::bench {
namespace {

class JxlCodec : public Codec {
public:
  std::string name() const override { return "jxl"; }
  std::string setting_unit() const override { return "distance"; }
  std::vector<double> qualities(bool quick) const override {
    return subsample_points({12, 8, 5.5, 4, 2.8, 2, 1.3, 0.8}, quick ? 4 : 8);
  }
  Bytes encode(const image::Image& img, double distance) const override {
    JxlEncoderPtr enc = JxlEncoderMake(nullptr);
    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = img.width;
    info.ysize = img.height;
    info.bits_per_sample = 8;
    info.num_color_channels = 3;
    info.uses_original_profile = JXL_FALSE;
    if (JxlEncoderSetBasicInfo(enc.get(), &info) != JXL_ENC_SUCCESS) throw Error("jxl: bad image header");
    JxlColorEncoding color;
    JxlColorEncodingSetToSRGB(&color, JXL_FALSE);
    JxlEncoderSetColorEncoding(enc.get(), &color);
    JxlEncoderFrameSettings* fs = JxlEncoderFrameSettingsCreate(enc.get(), nullptr);
    JxlEncoderFrameSettingsSetOption(fs, JXL_ENC_FRAME_SETTING_EFFORT, 3);
    if (JxlEncoderSetFrameDistance(fs, static_cast<float>(distance)) != JXL_ENC_SUCCESS)
      throw Error("jxl: bad distance");
    JxlPixelFormat fmt{3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    if (JxlEncoderAddImageFrame(fs, &fmt, img.pixels.data(), img.pixels.size()) != JXL_ENC_SUCCESS)
      throw Error("jxl: cannot add the frame");
    JxlEncoderCloseInput(enc.get());
    Bytes out(1 << 16);
    uint8_t* next = out.data();
    size_t avail = out.size();
    JxlEncoderStatus st;
    while ((st = JxlEncoderProcessOutput(enc.get(), &next, &avail)) == JXL_ENC_NEED_MORE_OUTPUT) {
      size_t used = next - out.data();
      out.resize(out.size() * 2);
      next = out.data() + used;
      avail = out.size() - used;
    }
    if (st != JXL_ENC_SUCCESS) throw Error("jxl: encoding failed");
    out.resize(next - out.data());
    return out;
  }
  image::Image decode(const Bytes& data) const override {
    JxlDecoderPtr dec = JxlDecoderMake(nullptr);
    if (JxlDecoderSubscribeEvents(dec.get(), JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE) != JXL_DEC_SUCCESS)
      throw Error("jxl: cannot set up the decoder");
    JxlDecoderSetInput(dec.get(), data.data(), data.size());
    JxlDecoderCloseInput(dec.get());
    JxlPixelFormat fmt{3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    image::Image img;
    for (;;) {
      JxlDecoderStatus st = JxlDecoderProcessInput(dec.get());
      if (st == JXL_DEC_BASIC_INFO) {
        JxlBasicInfo info;
        JxlDecoderGetBasicInfo(dec.get(), &info);
        img = image::Image::blank(static_cast<int>(info.xsize), static_cast<int>(info.ysize));
      } else if (st == JXL_DEC_NEED_IMAGE_OUT_BUFFER) {
        if (JxlDecoderSetImageOutBuffer(dec.get(), &fmt, img.pixels.data(), img.pixels.size()) != JXL_DEC_SUCCESS)
          throw Error("jxl: unexpected image size");
      } else if (st == JXL_DEC_FULL_IMAGE) {
        return img;
      } else {
        throw Error("jxl: decoding failed");
      }
    }
  }
};

}  // namespace

std::unique_ptr<Codec> make_jxl_codec() { return std::make_unique<JxlCodec>(); }

}  // namespace tiny::bench
