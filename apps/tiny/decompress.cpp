// tiny decompress X.tic...: .tic bitstreams back to images (PNG, PPM, JPEG or lossless WebP by extension).
#include "codec_cli.hpp"
#include "commands.hpp"
#include "codec/zoo.hpp"
#include "core/error.hpp"
#include "core/stopwatch.hpp"
#include "entropy/container.hpp"
#include "image/encode.hpp"
#include "image/row_files.hpp"

#include <fmt/format.h>


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

// The model a bitstream names (or the user's -m): an architecture or quality in the header that tiny
// does not have is that file's fault (exit 1, the batch goes on), not a usage error.
const codec::Codec& model_for(ModelCache& models, const ModelChoice& choice, const entropy::TicFile& header,
                              double quality, const std::string& name) {
  try {
    return models.get(choice, header.arch, quality);
  } catch (const UsageError& e) {
    if (!choice.model.empty() || !choice.arch.empty()) throw;
    throw Error(file_error(name, fmt::format("the bitstream names a model tiny does not have: {}", e.what())));
  }
}

nlohmann::json decompress_one(ModelCache& models, const DecompressOptions& o, const std::string& path,
                              const std::string& out) {
  if (!o.test) {
    image::output_format(out);
    check_can_write(out, o.force);
  }
  std::string name = path == "-" ? "<stdin>" : path;
  Bytes data = read_file(path);
  entropy::TicFile header = entropy::read_tic(data, name);
  const double quality = codec::bitstream_quality(header.arch, header.quality);
  const codec::Codec& codec = model_for(models, o.model, header, quality, name);
  Stopwatch t0;
  if (o.test) {
    codec.verify(data, name);
  } else {
    image::EncodeOptions encode;
    encode.quality = o.jpeg_quality;
    encode.webp_lossless = true;
    // Written band by band as the tiles decode: a large image is never whole in memory.
    image::ImageFileWriter file(out, o.force, encode);
    if (header.color == entropy::ColorFormat::gray8) {  // the header's colour format
      image::GrayRowWriter gray(file);
      codec.decompress(data, name, gray);
    } else {
      codec.decompress(data, name, file);
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
  ModelCache models;
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
