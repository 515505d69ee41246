// tiny decompress X.tic...: .tic bitstreams back to images (PNG, PPM, JPEG or lossless WebP by extension).
// The architectures libtiny_decoder runs decode there, without libtorch; the others (context models,
// version 1 bitstreams, --untrained models) through the models plugin's torch codec, loaded only then.
#include "commands.hpp"
#include "file_batch.hpp"
#include "model_choice.hpp"
#include "models_plugin.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "decoder/decoder.hpp"
#include "entropy/container.hpp"
#include "image/encode.hpp"
#include "image/row_files.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace tiny::cli {
namespace {

struct DecompressOptions {
  std::vector<std::string> files;
  std::string output;
  ModelChoice model;
  int jpeg_quality = 95;
  bool force = false;
  bool test = false;  // decode the latents and check their checksum only; write nothing
};

// The torch-free decoder's models, each loaded once (nullopt: a model it does not run).
class DecoderModels {
public:
  // The model for a bitstream, or nullptr when the torch codec must decode it.
  const decoder::Model* get(const ModelChoice& choice, const entropy::TicFile& header, double quality,
                            const std::string& name) {
    if (header.version < 2 || !decoder::supported_architecture(header.arch) || choice.untrained) return nullptr;
    const ChosenModel chosen = choose_model_for_bitstream(choice, header.arch, quality, name);
    auto it = loaded_.find(chosen.key);
    if (it == loaded_.end()) {
      std::optional<decoder::Model> model;
      try {
        model = decoder::Model::from_file(chosen.key);
      } catch (const decoder::DecodeError& e) {
        if (e.failure() != decoder::Failure::unsupported) throw Error(e.what());
      }
      it = loaded_.emplace(chosen.key, std::move(model)).first;
    }
    if (!it->second) return nullptr;
    check_fixed_rate_quality(choice, chosen.key, it->second->arch(), it->second->quality());
    return &*it->second;
  }

private:
  std::map<std::string, std::optional<decoder::Model>> loaded_;
};

// Decodes on libtiny_decoder band by band into `out` (null: latents and checksum only).
void decode_torch_free(const decoder::Model& model, const Bytes& data, const std::string& name, bool exact,
                       image::RowWriter* out) {
  if (!out) return decoder::verify(model, data.data(), data.size(), name);
  decoder::RowSink sink;
  sink.start = [&](decoder::ImageSize s) { out->start(int(s.width), int(s.height)); };
  sink.rows = [&](const uint8_t* rgb, uint32_t, uint32_t count) { out->write(rgb, int(count)); };
  decoder::decode_rows(model, data.data(), data.size(), name, exact ? decoder::Synthesis::exact : decoder::Synthesis::fast,
                       sink);
}

nlohmann::json decompress_one(DecoderModels& models, const DecompressOptions& o, const std::string& path,
                              const std::string& out) {
  if (!o.test) {
    image::output_format(out);
    check_can_write(out, o.force);
  }
  std::string name = path == "-" ? "<stdin>" : path;
  Bytes data = read_file(path);
  entropy::TicFile header = entropy::read_tic(data, name);
  const double quality = codec::bitstream_quality(header.arch, header.quality);
  const decoder::Model* model = models.get(o.model, header, quality, name);
  Stopwatch t0;
  auto decode = [&](image::RowWriter* rows) {
    if (model)
      decode_torch_free(*model, data, name, o.model.exact, rows);
    else
      models_plugin().torch_decompress(o.model, data, name, rows);
  };
  if (o.test) {
    decode(nullptr);
  } else {
    image::EncodeOptions encode;
    encode.quality = o.jpeg_quality;
    encode.webp_lossless = true;
    // Written band by band as the tiles decode: a large image is never whole in memory.
    image::ImageFileWriter file(out, o.force, encode);
    if (header.color == entropy::ColorFormat::gray8) {  // the header's colour format
      image::GrayRowWriter gray(file);
      decode(&gray);
    } else {
      decode(&file);
    }
    file.commit();
  }
  double seconds = t0.seconds();
  const double pixels = double(header.width) * double(header.height);
  return {{"file", path},           {"output", o.test ? "(tested: decodes)" : out},
          {"width", header.width},  {"height", header.height},
          {"bytes", data.size()},   {"bpp", double(data.size()) * 8.0 / pixels},
          {"seconds", seconds},     {"model", header.arch},
          {"quality", quality}};
}

int run_decompress(const DecompressOptions& o, const GlobalOptions& g) {
  DecoderModels models;
  auto is_tic = [](const std::string& name) { return has_extension(name, ".tic"); };
  return for_each_file(o.files, is_tic, ".tic files", o.output, ".dec.png", false, g, [&](const std::string& in, const std::string& out) {
    return decompress_one(models, o, in, out);
  });
}

}  // namespace

void register_decompress(Cli& cli) {
  auto o = std::make_shared<DecompressOptions>();
  CLI::App* sub = cli.add("decompress", "Decode .tic bitstreams to images (PNG, PPM, JPEG or lossless WebP)",
                          "  tiny decompress photo.tic                    # writes photo.dec.png\n"
                          "  tiny decompress -m my.tmodel a.tic b.tic -o out/ --json\n"
                          "  tiny decompress photo.tic -o rec.jpg --jpeg-quality 90\n"
                          "  tiny compress - < a.png | tiny decompress - > b.png\n"
                          "  tiny decompress --test archive/*.tic          # do they decode here? exit 1 if not",
                          [o, &cli] { return run_decompress(*o, cli.globals()); });
  sub->add_option("files,--files", o->files, "Bitstreams to decode ('-': stdin)")->required();
  sub->add_option("-o,--output", o->output,
                  "Output image, its format named by its extension: .png, .ppm, .jpg/.jpeg, .webp (lossless) (one "
                  "input), or folder of PNGs (several inputs); '-': PNG on stdout");
  add_model_options(sub, o->model);
  sub->add_option("--jpeg-quality", o->jpeg_quality, "JPEG quality of a .jpg/.jpeg output")->check(CLI::Range(1, 100));
  add_force_flag(sub, o->force, "Overwrite existing outputs");
  add_allow_failures_flag(sub, cli.globals());
  sub->add_flag("--test", o->test,
                "Check that the bitstreams decode on this machine (latents and their checksum); write nothing");
}

}  // namespace tiny::cli
