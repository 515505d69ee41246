// The plugin's decompress service (models_plugin.hpp): a bitstream decoded by the torch codec, for what
// `tiny decompress` cannot decode on the torch-free libtiny_decoder.
#include "torch_decompress.hpp"

#include "codec_cli.hpp"
#include "entropy/container.hpp"

namespace tiny::cli {

void torch_decompress(const ModelChoice& choice, const Bytes& tic, const std::string& name, image::RowWriter* out) {
  static ModelCache models;  // the process decodes a batch: each model loads once
  const entropy::TicFile header = entropy::read_tic(tic, name);
  const double quality = codec::bitstream_quality(header.arch, header.quality);
  choose_model_for_bitstream(choice, header.arch, quality, name);  // the header's model exists
  const codec::Codec& codec = models.get(choice, header.arch, quality);
  if (out)
    codec.decompress(tic, name, *out);
  else
    codec.verify(tic, name);
}

}  // namespace tiny::cli
