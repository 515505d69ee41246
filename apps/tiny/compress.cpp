// tiny compress IMG...: images to .tic bitstreams with a learned model.
#include "codec_cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"
#include "image/metrics.hpp"

#include <algorithm>
#include <chrono>

namespace tiny::cli {
namespace {

constexpr int kMsSsimMinSide = 161;  // 5 scales of an 11-tap window

struct CompressOptions {
  std::vector<std::string> files;
  std::string output;
  ModelChoice model;
  bool force = false, metrics = false;
};

nlohmann::json compress_one(const codec::Codec& codec, const std::string& path, const std::string& out,
                            bool force, bool metrics) {
  check_can_write(out, force);
  image::Image img = path == "-" ? image::decode_image(read_file("-"), "<stdin>") : image::read_image(path);
  auto t0 = std::chrono::steady_clock::now();
  image::Image recon;
  codec::StageTimes times;
  Bytes tic = codec.compress(img, metrics ? &recon : nullptr, &times);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_file_atomic(out, tic, force);
  double pixels = double(img.width) * img.height;
  nlohmann::json r = {{"file", path},          {"output", out},
                      {"width", img.width},    {"height", img.height},
                      {"bytes", tic.size()},   {"bpp", double(tic.size()) * 8.0 / pixels},
                      {"seconds", seconds - times.synthesis},
                      {"model", codec.info().arch}, {"quality", codec.quality()}};
  if (metrics) {
    r["psnr"] = image::psnr(img, recon);
    // MS-SSIM is undefined below its smallest scale: reported as null there.
    r["ms_ssim"] = nullptr;
    if (std::min(img.width, img.height) >= kMsSsimMinSide) r["ms_ssim"] = image::ms_ssim(img, recon);
  }
  return r;
}

int run_compress(const CompressOptions& o, const GlobalOptions& g) {
  ModelCache models;
  const codec::Codec& codec = models.get(o.model, "mbt2018-mean", 3);
  return for_each_file(o.files, o.output, ".tic", o.metrics, g, [&](const std::string& in, const std::string& out) {
    return compress_one(codec, in, out, o.force, o.metrics);
  });
}

}  // namespace

void register_compress(Cli& cli) {
  auto o = std::make_shared<CompressOptions>();
  CLI::App* sub = cli.add("compress", "Compress images to .tic bitstreams with a learned model",
                          "  tiny compress photo.png                      # writes photo.tic\n"
                          "  tiny compress -m my.tmodel a.png b.jpg -o out/ --metrics --json\n"
                          "  tiny compress - < a.png | tiny decompress - > b.png",
                          [o, &cli] { return run_compress(*o, cli.globals()); });
  sub->add_option("files,--files", o->files, "Images to compress ('-': stdin)")->required();
  sub->add_option("-o,--output", o->output, "Output file (one input) or folder (several inputs); '-': stdout");
  add_model_options(sub, o->model);
  add_force_flag(sub, o->force, "Overwrite existing outputs");
  add_allow_failures_flag(sub, cli.globals());
  sub->add_flag("--metrics", o->metrics, "Also report PSNR and MS-SSIM of the reconstruction");
}

}  // namespace tiny::cli
