#pragma once
// The torch-free decoder (C++ API; the C API is tiny_decoder.h): a `.tic` held in memory to 8-bit RGB
// pixels with a `.tmodel`, entirely on tiny's own code — the container and rANS decoders of
// lib/entropy, the model's weights and tables read by codec_format, the hyper-synthesis on the
// fixed-order kernels, and the synthesis either there too (exact: the pixels of `tiny decompress
// --exact`, identical on every machine) or on oneDNN (fast: those of plain `tiny decompress` on this
// machine). Architectures: bmshj2018-factorized, bmshj2018-hyperprior, mbt2018-mean and
// mbt2018-mean-vr (the context models are refused). docs/decoder.md.
#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tiny::decoder {

// Why a call failed.
enum class Failure {
  bad_model,      // the model bytes are not a valid `.tmodel`
  unsupported,    // a valid model of an architecture this decoder does not run
  bad_bitstream,  // the `.tic` bytes are damaged, truncated or inconsistent
  wrong_model,    // a valid `.tic` made with another model
  small_buffer,   // the caller's pixel buffer is smaller than the image
};

// The error every function of this API throws (besides std::bad_alloc), with a one-line message
// naming the input and the problem.
class DecodeError : public Error {
public:
  DecodeError(Failure failure, const std::string& message) : Error(message), failure_(failure) {}
  Failure failure() const { return failure_; }

private:
  Failure failure_;
};

// Whether this decoder runs models of architecture `arch`.
bool supported_architecture(const std::string& arch);

struct ModelData;

// A `.tmodel` ready to decode: weights dequantized, CDF tables and fixed-order networks built.
// Immutable once made: any number of threads may decode with one model at once.
class Model {
public:
  // Parses and checks model bytes (`name` appears in errors).
  static Model from_bytes(const uint8_t* data, size_t size, const std::string& name);
  // Reads and checks a model file.
  static Model from_file(const std::string& path);
  // The architecture, quality level and content hash the model's header records.
  const std::string& arch() const;
  int quality() const;
  uint64_t hash() const;
  // The decoding state (for decode()).
  const ModelData& data() const { return *data_; }

private:
  explicit Model(std::shared_ptr<const ModelData> data) : data_(std::move(data)) {}
  std::shared_ptr<const ModelData> data_;
};

// The image size a `.tic` header declares, after checking the container (magic, version, lengths, CRC).
struct ImageSize {
  uint32_t width = 0, height = 0;
};
ImageSize image_size(const uint8_t* tic, size_t size, const std::string& name);

// How the synthesis g_s runs.
enum class Synthesis {
  exact,  // fixed-order kernels: identical pixels on every machine (those of `tiny decompress --exact`)
  fast,   // oneDNN's kernels where tiny was built with them (else exact): plain `tiny decompress`'s pixels
};

// Where decode_rows hands the image: start(size) once the header is checked against the model, then
// rows(rgb, first, count) for each band of rows as it is synthesized, top to bottom (count rows of
// width * 3 bytes, R, G, B per pixel, valid during the call). Either may throw to stop the decode.
struct RowSink {
  std::function<void(ImageSize)> start;
  std::function<void(const uint8_t* rgb, uint32_t first, uint32_t count)> rows;
};
// Decodes `.tic` bytes made with `model` (`name` appears in errors) band by band into `sink`: the
// image is never whole in memory.
void decode_rows(const Model& model, const uint8_t* tic, size_t size, const std::string& name, Synthesis mode,
                 const RowSink& sink);
// Decodes the latents and checks their checksum without synthesizing pixels (`tiny decompress --test`).
void verify(const Model& model, const uint8_t* tic, size_t size, const std::string& name);
// Decodes into one buffer: `buffer(size)` gives where to write the image's width * height * 3 bytes
// once the header is checked (it may throw, e.g. DecodeError(small_buffer)).
void decode(const Model& model, const uint8_t* tic, size_t size, const std::string& name,
            const std::function<uint8_t*(ImageSize)>& buffer, Synthesis mode = Synthesis::exact);
// The same into the caller's `rgb` of rgb_size bytes (DecodeError small_buffer if too small).
void decode(const Model& model, const uint8_t* tic, size_t size, const std::string& name, uint8_t* rgb,
            size_t rgb_size, Synthesis mode = Synthesis::exact);
// The same into a new buffer; `image` receives the size.
std::vector<uint8_t> decode(const Model& model, const uint8_t* tic, size_t size, const std::string& name,
                            ImageSize& image, Synthesis mode = Synthesis::exact);

}  // namespace tiny::decoder
