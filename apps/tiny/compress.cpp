// tiny compress IMG...: images to .tic bitstreams with a learned model.
#include "codec/rate_control.hpp"
#include "codec_cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/stopwatch.hpp"
#include "dataset/sources.hpp"
#include "image/decode.hpp"
#include "image/row_files.hpp"
#include "image/metrics.hpp"

#include <algorithm>
#include <optional>

namespace tiny::cli {
namespace {

constexpr int kMsSsimMinSide = 161;  // 5 scales of an 11-tap window

struct CompressOptions {
  std::vector<std::string> files;
  std::string output;
  ModelChoice model;
  bool force = false, metrics = false;
  double target_bpp = 0, target_psnr = 0;
  std::string target_size;
};

// The rate-control target the options ask for, if any.
std::optional<codec::RateTarget> target_of(const CompressOptions& o) {
  if (o.target_bpp != 0) return codec::rate_target(codec::TargetKind::bpp, o.target_bpp);
  if (o.target_psnr != 0) return codec::rate_target(codec::TargetKind::psnr, o.target_psnr);
  if (!o.target_size.empty()) return codec::rate_target(codec::TargetKind::size, codec::parse_size(o.target_size));
  return std::nullopt;
}

// Codes one image: at the model's quality, or searching `models` for the quality that meets `target`.
nlohmann::json compress_one(const std::vector<const codec::Codec*>& models, const std::optional<codec::RateTarget>& target,
                            const std::string& path, const std::string& out, bool force, bool metrics) {
  check_can_write(out, force);
  image::DecodeOptions decode;
  decode.max_pixels = codec::kMaxPixels;
  const std::string name = path == "-" ? "<stdin>" : path;
  image::Image img, recon;
  codec::StageTimes times;
  Bytes tic;
  const codec::Codec* codec = models.front();
  double quality = codec->quality();
  nlohmann::json control;
  Stopwatch t0;
  if (!target && !metrics) {
    // Nothing needs the whole image: it is read band by band as the tiles are coded.
    std::unique_ptr<image::RowReader> rows = image::open_image_rows(path, decode);
    t0.restart();
    img.width = rows->width(), img.height = rows->height();
    tic = codec->compress(*rows, nullptr, &times);
  } else {
    img = path == "-" ? image::decode_image(read_file("-"), "<stdin>", decode) : image::read_image(path, decode);
    t0.restart();
  }
  if (target) {
    codec::TargetedCode code = codec::compress_to_target(models, img, *target, metrics ? &recon : nullptr);
    if (std::string why = codec::shortfall(*target, code); !why.empty()) log::warn("{}: {}", name, why);
    control = codec::describe(*target, code);
    tic = std::move(code.tic), codec = code.codec, quality = code.quality;
  } else if (metrics) {
    tic = codec->compress(img, &recon, &times);
  }
  double seconds = t0.seconds();
  write_file_atomic(out, tic, force);
  double pixels = double(img.width) * img.height;
  nlohmann::json r = {{"file", path},          {"output", out},
                      {"width", img.width},    {"height", img.height},
                      {"bytes", tic.size()},   {"bpp", double(tic.size()) * 8.0 / pixels},
                      {"seconds", seconds - times.synthesis},
                      {"model", codec->info().arch}, {"quality", quality}};
  if (target) r["rate_control"] = control;
  if (metrics) {
    r["psnr"] = image::psnr(img, recon);
    // MS-SSIM is undefined below its smallest scale: reported as null there.
    r["ms_ssim"] = nullptr;
    if (std::min(img.width, img.height) >= kMsSsimMinSide) r["ms_ssim"] = image::ms_ssim(img, recon);
  }
  return r;
}

int run_compress(const CompressOptions& o, const GlobalOptions& g) {
  const std::optional<codec::RateTarget> target = target_of(o);
  ModelCache cache;
  const std::vector<const codec::Codec*> models =
      target ? cache.ladder(o.model, "mbt2018-mean") : std::vector<const codec::Codec*>{&cache.get(o.model, "mbt2018-mean", 3)};
  return for_each_file(o.files, dataset::is_image_name, "images", o.output, ".tic", o.metrics, g, [&](const std::string& in, const std::string& out) {
    return compress_one(models, target, in, out, o.force, o.metrics);
  });
}

}  // namespace

void register_compress(Cli& cli) {
  auto o = std::make_shared<CompressOptions>();
  CLI::App* sub = cli.add("compress", "Compress images to .tic bitstreams with a learned model",
                          "  tiny compress photo.png                      # writes photo.tic\n"
                          "  tiny compress -m my.tmodel a.png b.jpg -o out/ --metrics --json\n"
                          "  tiny compress - < a.png | tiny decompress - > b.png\n"
                          "  tiny compress -m mbt2018-mean-vr --target-size 40k photos/ -o out/",
                          [o, &cli] { return run_compress(*o, cli.globals()); });
  sub->add_option("files,--files", o->files, "Images to compress, or folders of them (recursively; '-': stdin)")->required();
  sub->add_option("-o,--output", o->output, "Output file (one input) or folder (several inputs); '-': stdout");
  add_model_options(sub, o->model);
  add_force_flag(sub, o->force, "Overwrite existing outputs");
  add_allow_failures_flag(sub, cli.globals());
  sub->add_flag("--metrics", o->metrics, "Also report PSNR and MS-SSIM of the reconstruction");
  CLI::Option* quality = sub->get_option("--quality");
  CLI::Option* bpp = sub->add_option("--target-bpp", o->target_bpp,
                                     "Search the quality whose bitstream has this many bits per pixel (within 2 %)");
  CLI::Option* psnr = sub->add_option("--target-psnr", o->target_psnr,
                                      "Search the quality whose reconstruction has this PSNR in dB (within 0.05 dB)");
  CLI::Option* size = sub->add_option("--target-size", o->target_size,
                                      "Search the quality whose .tic has this size (within 2 %): bytes, or with k/M "
                                      "(1000s) or Ki/Mi (1024s), e.g. 40k");
  bpp->check(CLI::PositiveNumber);
  psnr->check(CLI::PositiveNumber);
  for (CLI::Option* target : {bpp, psnr, size}) target->excludes(quality);
  bpp->excludes(psnr)->excludes(size);
  psnr->excludes(size);
}

}  // namespace tiny::cli
