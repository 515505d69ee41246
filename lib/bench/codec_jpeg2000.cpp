// JPEG 2000 through OpenJPEG: a .j2k codestream, 9/7 irreversible wavelet, one quality layer whose
// rate is set as a compression ratio (the "quality" points are ratios, highest first).
#include "bench/codec.hpp"

#include "core/error.hpp"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace tiny::bench {
namespace {

struct Buffer {
  Bytes* bytes;
  size_t pos = 0;
};

OPJ_SIZE_T write_fn(void* data, OPJ_SIZE_T n, void* user) {
  auto* b = static_cast<Buffer*>(user);
  if (b->pos + n > b->bytes->size()) b->bytes->resize(b->pos + n);
  std::memcpy(b->bytes->data() + b->pos, data, n);
  b->pos += n;
  return n;
}
OPJ_SIZE_T read_fn(void* data, OPJ_SIZE_T n, void* user) {
  auto* b = static_cast<Buffer*>(user);
  if (b->pos >= b->bytes->size()) return static_cast<OPJ_SIZE_T>(-1);
  n = std::min(n, b->bytes->size() - b->pos);
  std::memcpy(data, b->bytes->data() + b->pos, n);
  b->pos += n;
  return n;
}
OPJ_OFF_T skip_fn(OPJ_OFF_T n, void* user) {
  auto* b = static_cast<Buffer*>(user);
  if (n < 0 && static_cast<size_t>(-n) > b->pos) return -1;
  b->pos += n;
  if (b->bytes->size() < b->pos && n > 0) b->bytes->resize(b->pos);
  return n;
}
OPJ_BOOL seek_fn(OPJ_OFF_T n, void* user) {
  auto* b = static_cast<Buffer*>(user);
  if (n < 0) return OPJ_FALSE;
  b->pos = static_cast<size_t>(n);
  return OPJ_TRUE;
}

using StreamPtr = std::unique_ptr<opj_stream_t, void (*)(opj_stream_t*)>;
using CodecPtr = std::unique_ptr<opj_codec_t, void (*)(opj_codec_t*)>;
using ImagePtr = std::unique_ptr<opj_image_t, void (*)(opj_image_t*)>;

StreamPtr make_stream(Buffer& buffer, bool input) {
  StreamPtr s(opj_stream_create(1 << 16, input ? OPJ_TRUE : OPJ_FALSE), opj_stream_destroy);
  if (!s) throw Error("jpeg2000: cannot create a stream");
  opj_stream_set_user_data(s.get(), &buffer, nullptr);
  opj_stream_set_user_data_length(s.get(), buffer.bytes->size());
  opj_stream_set_write_function(s.get(), write_fn);
  opj_stream_set_read_function(s.get(), read_fn);
  opj_stream_set_skip_function(s.get(), skip_fn);
  opj_stream_set_seek_function(s.get(), seek_fn);
  return s;
}

class Jpeg2000Codec : public Codec {
public:
  std::string name() const override { return "jpeg2000"; }
  std::string setting_unit() const override { return "ratio"; }
  std::vector<double> qualities(bool quick) const override {
    return subsample_points({200, 120, 80, 50, 32, 20, 12, 7}, quick ? 4 : 8);
  }
  Bytes encode(const image::Image& img, double ratio) const override {
    opj_image_cmptparm_t parms[3];
    std::memset(parms, 0, sizeof parms);
    for (auto& p : parms) {
      p.dx = p.dy = 1;
      p.w = img.width;
      p.h = img.height;
      p.prec = 8;
    }
    ImagePtr im(opj_image_create(3, parms, OPJ_CLRSPC_SRGB), opj_image_destroy);
    if (!im) throw Error("jpeg2000: cannot allocate the image");
    im->x1 = img.width;
    im->y1 = img.height;
    const size_t n = static_cast<size_t>(img.width) * img.height;
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < 3; ++c) im->comps[c].data[i] = img.pixels[i * 3 + c];
    opj_cparameters_t p;
    opj_set_default_encoder_parameters(&p);
    p.tcp_numlayers = 1;
    p.tcp_rates[0] = static_cast<float>(ratio);
    p.cp_disto_alloc = 1;
    p.irreversible = 1;
    p.tcp_mct = 1;
    CodecPtr codec(opj_create_compress(OPJ_CODEC_J2K), opj_destroy_codec);
    if (!opj_setup_encoder(codec.get(), &p, im.get())) throw Error("jpeg2000: bad encoder parameters");
    Bytes out;
    Buffer buffer{&out};
    StreamPtr s = make_stream(buffer, false);
    if (!opj_start_compress(codec.get(), im.get(), s.get()) || !opj_encode(codec.get(), s.get()) ||
        !opj_end_compress(codec.get(), s.get()))
      throw Error("jpeg2000: encoding failed");
    return out;
  }
  image::Image decode(const Bytes& data) const override {
    Bytes copy = data;
    Buffer buffer{&copy};
    StreamPtr s = make_stream(buffer, true);
    CodecPtr codec(opj_create_decompress(OPJ_CODEC_J2K), opj_destroy_codec);
    opj_dparameters_t p;
    opj_set_default_decoder_parameters(&p);
    opj_image_t* raw = nullptr;
    if (!opj_setup_decoder(codec.get(), &p) || !opj_read_header(s.get(), codec.get(), &raw))
      throw Error("jpeg2000: cannot read the codestream header");
    ImagePtr im(raw, opj_image_destroy);
    if (!opj_decode(codec.get(), s.get(), im.get()) || !opj_end_decompress(codec.get(), s.get()))
      throw Error("jpeg2000: decoding failed");
    if (im->numcomps < 3 || im->comps[0].dx != 1 || im->comps[1].dx != 1 || im->comps[2].dx != 1)
      throw Error("jpeg2000: expected three full-resolution components");
    image::Image img = image::Image::blank(static_cast<int>(im->comps[0].w), static_cast<int>(im->comps[0].h));
    const size_t n = static_cast<size_t>(img.width) * img.height;
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < 3; ++c) img.pixels[i * 3 + c] = static_cast<uint8_t>(std::clamp(im->comps[c].data[i], 0, 255));
    return img;
  }
};

}  // namespace

std::unique_ptr<Codec> make_jpeg2000_codec() { return std::make_unique<Jpeg2000Codec>(); }

}  // namespace tiny::bench
