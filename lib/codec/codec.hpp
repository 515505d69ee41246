#pragma once
// Image in, bitstream out and back, with one learned model: the torch-free face of the codec.
// Bitstreams are `.tic` containers (lib/entropy/container.hpp) that name the model's content hash;
// a bitstream made with another model is refused.
#include "codec/model_file.hpp"
#include "codec/model_search.hpp"
#include "codec/tic_header.hpp"
#include "codec/zoo.hpp"
#include "core/file_io.hpp"
#include "image/image.hpp"
#include "image/rows.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tiny::codec {

// Wall-clock seconds spent in each stage of one compress or decompress call.
struct StageTimes {
  double transforms = 0;  // encode: analysis, hyper networks, context model; decode: everything up to y_hat
  double entropy = 0;     // encode: rANS coding and the container (decode: inside `transforms`)
  double synthesis = 0;   // g_s and the conversion to pixels
};

// How the analysis and synthesis transforms run: on oneDNN where tiny has it (the default; else as
// torch_subpixel), on torch with transposed convolutions in their sub-pixel form, or on torch with
// ConvTranspose2d as CompressAI runs them.
enum class Inference { onednn, torch_subpixel, torch_transposed };

class Codec {
public:
  // Loads and validates a `.tmodel` file (throws tiny::Error naming it).
  static Codec from_file(const std::string& path);
  // A random-initialised model of the given configuration, seeded so that every run builds the same
  // one, with CDF tables from update() (for tests and `--untrained`).
  static Codec untrained(const ArchConfig& config, uint64_t seed = 0);
  Codec(Codec&&) noexcept;
  Codec& operator=(Codec&&) noexcept;
  ~Codec();

  // Compresses an 8-bit RGB image of any size up to 16384x16384 to `.tic` bytes; `reconstruction` (if
  // given) receives exactly what decompress() will return.
  Bytes compress(const image::Image& image, image::Image* reconstruction = nullptr, StageTimes* times = nullptr) const;
  // The same, reading the image band by band: the memory used is bounded by the tile size, not the image's.
  Bytes compress(image::RowReader& rows, image::RowWriter* reconstruction = nullptr, StageTimes* times = nullptr) const;
  // An image whose analysis transform has run (analyze()), to be coded at several qualities.
  struct Analysis;
  // Runs the analysis transform of an 8-bit RGB image once, for compress(analysis, quality).
  std::shared_ptr<const Analysis> analyze(const image::Image& image) const;
  // Codes an analysed image (from this codec's analyze()) at `quality`: any real quality in a
  // variable-rate model's range (the codec's own quality is left as it is), or a fixed-rate model's
  // level; only the gains, the hyper networks and the entropy coding run (and the synthesis when
  // `reconstruction` is given). Throws UsageError for another quality or another codec's analysis.
  Bytes compress(const Analysis& analysis, double quality, image::Image* reconstruction = nullptr,
                 StageTimes* times = nullptr) const;
  // Decodes `.tic` bytes made with this model (`name` appears in errors).
  image::Image decompress(const Bytes& tic, const std::string& name, StageTimes* times = nullptr) const;
  // The same, handing the pixels to `out` band by band (a file writer should publish the file only once
  // this returns: an error may come after some bands).
  void decompress(const Bytes& tic, const std::string& name, image::RowWriter& out, StageTimes* times = nullptr) const;
  // Decodes the latents of `.tic` bytes and checks them against the file's latent checksum, without
  // reconstructing pixels (`tiny decompress --test`); throws tiny::Error naming the file and the problem.
  void verify(const Bytes& tic, const std::string& name) const;
  // The model's header fields and content hash (tensors not kept).
  const ModelFile& info() const;
  // The header fields with the model's parameters and buffers as float32 and int32 records (e.g. to export them).
  ModelFile model_file() const;
  // How the transforms run (for measuring; results agree to float rounding, not bit-exactly).
  void set_inference(Inference how);
  // Runs the synthesis on the fixed-order kernels: decompress() (and compress()'s reconstruction) then
  // give the same pixels on every machine, more slowly. Off by default: the fast synthesis may differ by
  // a grey level between machines (the decoded latents never do).
  void set_exact_reconstruction(bool on);
  // Variable-rate models: the quality compress() codes at, any real number from 0 to the model's
  // levels - 1 (3 until set; stored in the bitstream to 1/1000); throws UsageError for fixed-rate models.
  void set_quality(double quality);
  // The quality compress() codes at: the model's level, or a variable-rate model's chosen quality.
  double quality() const;
  // Which `.tic` version compress() writes: 3 (the default: tiles), 2 (one tile whatever the size;
  // entropy parameters on the fixed-order kernels, as 3) or 1 (on torch's kernels, as tiny wrote
  // before: for decoders of that age, and to measure against; such files decode reliably only where
  // the kernels give the same sums).
  void set_tic_version(int version);
  // The edge of the square tiles compress() codes an image in, in pixels: a multiple of 64 (768 until
  // set; images up to that size are one tile, larger ones are coded tile by tile, in bounded memory).
  void set_tile_size(int pixels);
  // Writes the model as `.tmodel` (parameters as float16 if `half`, buffers and tables as stored).
  void save(const std::string& path, bool half, bool overwrite) const;

private:
  struct Impl;
  explicit Codec(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};


}  // namespace tiny::codec
