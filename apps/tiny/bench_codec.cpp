// tiny bench codec: encode/decode time per stage of the learned codecs on a Kodak image, tiny's oneDNN
// transforms against torch's sub-pixel and ConvTranspose2d forms (measured in the same run), and CompressAI run side by side on the
// same weights when the Python interpreter can import it (lib/bench/compressai_side_by_side.hpp), else
// CompressAI's published single-thread CPU times as reference.
#include "bench/compressai_side_by_side.hpp"
#include "bench/timing.hpp"
#include "codec/codec.hpp"
#include "commands.hpp"
#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/table.hpp"
#include "core/text.hpp"
#include "core/threads.hpp"
#include "entropy/container.hpp"
#include "image/decode.hpp"
#include "image/metrics.hpp"
#include "nn/onednn_transform.hpp"
#include "nn/threads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>

namespace tiny::cli {
namespace {

namespace fs = std::filesystem;

// CompressAI's published single-thread CPU seconds per Kodak image (768x512), low and high end over qualities.
struct Reference {
  const char* arch;
  double enc_lo, enc_hi, dec_lo, dec_hi;
};
constexpr Reference kReferences[] = {
    {"mbt2018-mean", 0.71, 1.57, 0.91, 1.81},
    {"mbt2018", 5.4, 14.2, 9.7, 18.9},
};
constexpr double kKodakPixels = 768.0 * 512.0;

struct BenchCodecOptions {
  std::vector<std::string> archs = {"mbt2018-mean", "mbt2018"};
  int quality = 1;
  std::string image;
  int repeats = 3;
  bool quick = false;
  std::string compressai = "auto";  // auto: side by side when the interpreter can import CompressAI; off: never
  std::string python = bench::default_python();
};

// --image, else kodim01 of the Kodak set (core/data_paths.hpp), else a generated picture.
image::Image bench_image(const std::string& path, std::string& name) {
  if (!path.empty()) return name = path, image::read_image(path);
  std::string kodak;
  try {
    kodak = (fs::path(find_data_set("kodak")) / "kodim01.png").string();
  } catch (const Error&) {
    kodak.clear();  // no Kodak set on this machine: fall back to a generated picture
  }
  std::error_code ec;
  if (!kodak.empty() && fs::is_regular_file(kodak, ec)) return name = kodak, image::read_image(kodak);
  name = "generated 768x512";
  image::Image img = image::Image::blank(768, 512);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      uint8_t* p = img.at(x, y);
      p[0] = uint8_t(x / 3), p[1] = uint8_t(y / 2), p[2] = uint8_t(((x / 16 + y / 16) % 2) * 200 + (x * y) % 37);
    }
  return img;
}

image::Image crop(const image::Image& src, int w, int h) {
  image::Image out = image::Image::blank(std::min(w, src.width), std::min(h, src.height));
  for (int y = 0; y < out.height; ++y) std::copy(src.at(0, y), src.at(0, y) + out.width * 3, out.at(0, y));
  return out;
}

// The shipped model of arch at quality (models/<arch>-q<quality>.tmodel) if there is one, else the zoo's
// configuration with untrained weights (seed 0); `weights` says which.
codec::Codec bench_model(const std::string& arch, int quality, std::string& weights) {
  const std::string name = fmt::format("{}-q{}.tmodel", arch, quality);
  for (const auto& path : codec::shipped_models(arch))
    if (ends_with(path, "/" + name)) return weights = path, codec::Codec::from_file(path);
  weights = "untrained (seed 0)";
  return codec::Codec::untrained(codec::zoo_config(arch, quality), 0);
}

// tiny's times, size and PSNR for one architecture; CompressAI's on the same weights when `compressai` is
// given, and its published times where there are some.
nlohmann::json bench_arch(const std::string& arch, int quality, const image::Image& img, int repeats,
                          const bench::CompressAIRun* compressai) {
  std::string weights;
  codec::Codec c = bench_model(arch, quality, weights);
  codec::StageTimes enc, dec;
  Bytes tic = c.compress(img);  // warm-up: kernel selection, weights in the kernels' layouts
  image::Image decoded = c.decompress(tic, "bench.tic");
  bench::Timing encode = bench::best_of(repeats, [&] { tic = c.compress(img, nullptr, &enc); });
  bench::Timing decode = bench::best_of(repeats, [&] { decoded = c.decompress(tic, "bench.tic", &dec); });
  // The other forms may round a latent or a scale differently: each decodes a bitstream it encoded.
  auto other_form = [&](const std::function<void(bool)>& use, bench::Timing& encode_other, bench::Timing& decode_other,
                        codec::StageTimes& times) {
    use(true);
    Bytes own = c.compress(img);
    c.decompress(own, "bench.tic");
    encode_other = bench::best_of(repeats, [&] { own = c.compress(img); });
    decode_other = bench::best_of(repeats, [&] { c.decompress(own, "bench.tic", &times); });
    use(false);
  };
  auto inference = [&](codec::Inference how) {
    return [&c, how](bool on) { c.set_inference(on ? how : codec::Inference::onednn); };
  };
  bench::Timing encode_torch, decode_torch, encode_transposed, decode_transposed, encode_v1, decode_v1, encode_exact,
      decode_exact;
  codec::StageTimes dec_torch, dec_t, dec_v1, dec_exact;
  other_form(inference(codec::Inference::torch_subpixel), encode_torch, decode_torch, dec_torch);
  other_form(inference(codec::Inference::torch_transposed), encode_transposed, decode_transposed, dec_t);
  other_form([&c](bool on) { c.set_tic_version(on ? 1 : entropy::kTicVersion); }, encode_v1, decode_v1, dec_v1);
  other_form([&c](bool on) { c.set_exact_reconstruction(on); }, encode_exact, decode_exact, dec_exact);
  nlohmann::json r = {{"arch", arch},
                      {"onednn", nn::OnednnTransform::available()},
                      {"quality", quality},
                      {"N", c.info().N},
                      {"M", c.info().M},
                      {"weights", weights},
                      {"bytes", tic.size()},
                      {"bpp", 8.0 * double(tic.size()) / (double(img.width) * img.height)},
                      {"psnr", image::psnr(img, decoded)},
                      {"encode_s", encode.wall},
                      {"encode_cpu_s", encode.cpu},
                      {"encode_transforms_s", enc.transforms},
                      {"encode_entropy_s", enc.entropy},
                      {"decode_s", decode.wall},
                      {"decode_cpu_s", decode.cpu},
                      {"decode_latents_s", dec.transforms},
                      {"decode_synthesis_s", dec.synthesis},
                      {"encode_torch_s", encode_torch.wall},
                      {"encode_torch_cpu_s", encode_torch.cpu},
                      {"decode_torch_s", decode_torch.wall},
                      {"decode_torch_cpu_s", decode_torch.cpu},
                      {"synthesis_torch_s", dec_torch.synthesis},
                      {"decode_convtranspose_s", decode_transposed.wall},
                      {"decode_convtranspose_cpu_s", decode_transposed.cpu},
                      {"synthesis_convtranspose_s", dec_t.synthesis},
                      {"synthesis_vs_convtranspose", dec_t.synthesis / dec.synthesis},
                      {"decode_v1_s", decode_v1.wall},
                      {"decode_v1_cpu_s", decode_v1.cpu},
                      {"decode_latents_v1_s", dec_v1.transforms},
                      {"decode_exact_s", decode_exact.wall},
                      {"decode_exact_cpu_s", decode_exact.cpu},
                      {"synthesis_exact_s", dec_exact.synthesis}};
  const double scale = double(img.width) * img.height / kKodakPixels;
  for (const auto& ref : kReferences)
    if (arch == ref.arch) {
      r["published_encode_s"] = {ref.enc_lo * scale, ref.enc_hi * scale};
      r["published_decode_s"] = {ref.dec_lo * scale, ref.dec_hi * scale};
      r["encode_vs_published"] = ref.enc_lo * scale / encode.cpu;
      r["decode_vs_published"] = ref.dec_lo * scale / decode.cpu;
    }
  if (!compressai) return r;
  try {
    nlohmann::json m = bench::run_compressai_codec(c.model_file(), img, *compressai);
    r["encode_vs_compressai"] = double(m["encode_cpu_s"]) / encode.cpu;
    r["decode_vs_compressai"] = double(m["decode_cpu_s"]) / decode.cpu;
    r["decode_v1_vs_compressai"] = double(m["decode_cpu_s"]) / decode_v1.cpu;
    r["decode_exact_vs_compressai"] = double(m["decode_cpu_s"]) / decode_exact.cpu;
    r["compressai"] = std::move(m);
  } catch (const Error& e) {
    log::warn("bench codec: no CompressAI side by side for {} q{}: {}", arch, quality, e.what());
    r["compressai_error"] = e.what();
  }
  return r;
}

// The time cells of one stage against CompressAI: measured when the result has it, else the published range.
std::vector<std::string> compressai_cells(const nlohmann::json& r, const char* stage) {
  const std::string s = stage;
  if (r.contains("compressai"))
    return {fmt::format("{:.3f}", double(r["compressai"][s + "_s"])),
            fmt::format("{:.3f}", double(r["compressai"][s + "_cpu_s"])),
            fmt::format("{:.1f}x", double(r[s + "_vs_compressai"]))};
  if (r.contains("published_" + s + "_s"))
    return {fmt::format("{:.2f}-{:.2f} published", double(r["published_" + s + "_s"][0]),
                        double(r["published_" + s + "_s"][1])),
            "-", fmt::format("{:.1f}x", double(r[s + "_vs_published"]))};
  return {"-", "-", "-"};
}

void print_tables(const nlohmann::json& results) {
  Table t({"arch", "stage", "tiny s", "tiny CPU s", "CompressAI s", "CompressAI CPU s", "CompressAI/tiny"});
  for (const auto& r : results) {
    std::string a = fmt::format("{} q{}", std::string(r["arch"]), int(r["quality"]));
    auto sec = [&](const char* key) { return fmt::format("{:.3f}", double(r[key])); };
    auto row = [&](std::vector<std::string> cells, const char* stage) {
      for (auto& c : compressai_cells(r, stage)) cells.push_back(std::move(c));
      t.add_row(std::move(cells));
    };
    row({a, "encode", sec("encode_s"), sec("encode_cpu_s")}, "encode");
    t.add_row({"", "  transforms", sec("encode_transforms_s")});
    t.add_row({"", "  rANS + container", sec("encode_entropy_s")});
    row({"", "decode", sec("decode_s"), sec("decode_cpu_s")}, "decode");
    t.add_row({"", "  latents (fixed-order hyper, context, rANS)", sec("decode_latents_s")});
    const bool onednn = r["onednn"];
    t.add_row({"", onednn ? "  synthesis (oneDNN, Winograd)" : "  synthesis (torch, sub-pixel)", sec("decode_synthesis_s")});
    // tiny's other inference forms, measured in the same run, against the default one.
    auto against = [&](const char* key, const char* base) {
      return fmt::format("tiny {:.1f}x", double(r[key]) / double(r[base]));
    };
    if (onednn) {
      t.add_row({"", "encode on torch", sec("encode_torch_s"), sec("encode_torch_cpu_s"), "", "",
                 against("encode_torch_cpu_s", "encode_cpu_s")});
      t.add_row({"", "decode on torch (sub-pixel)", sec("decode_torch_s"), sec("decode_torch_cpu_s"), "", "",
                 against("decode_torch_cpu_s", "decode_cpu_s")});
      t.add_row({"", "  synthesis (torch, sub-pixel)", sec("synthesis_torch_s"), "", "", "",
                 against("synthesis_torch_s", "decode_synthesis_s")});
    }
    // The decoder as .tic version 1 had it (entropy parameters on torch: fast, machine-dependent), and
    // with the exact synthesis (the same pixels on every machine), each against CompressAI and the default.
    auto versus_compressai = [&](const char* key) {
      return r.contains(key) ? fmt::format("{:.1f}x", double(r[key])) : std::string("-");
    };
    t.add_row({"", "decode, torch entropy parameters (v1)", sec("decode_v1_s"), sec("decode_v1_cpu_s"), "", "",
               versus_compressai("decode_v1_vs_compressai") + ", " + against("decode_v1_cpu_s", "decode_cpu_s")});
    t.add_row({"", "  latents (torch hyper, context, rANS)", sec("decode_latents_v1_s")});
    t.add_row({"", "decode, exact synthesis", sec("decode_exact_s"), sec("decode_exact_cpu_s"), "", "",
               versus_compressai("decode_exact_vs_compressai") + ", " + against("decode_exact_cpu_s", "decode_cpu_s")});
    t.add_row({"", "  synthesis (fixed-order)", sec("synthesis_exact_s"), "", "", "",
               against("synthesis_exact_s", "decode_synthesis_s")});
    t.add_row({"", "decode with ConvTranspose2d", sec("decode_convtranspose_s"), sec("decode_convtranspose_cpu_s"), "",
               "", against("decode_convtranspose_cpu_s", "decode_cpu_s")});
    t.add_row({"", "  synthesis (ConvTranspose2d)", sec("synthesis_convtranspose_s"), "", "", "",
               against("synthesis_convtranspose_s", "decode_synthesis_s")});
  }
  std::cout << t.render() << "\n";
  Table q({"arch", "weights", "tiny bytes", "tiny PSNR", "CompressAI bytes", "CompressAI PSNR"});
  for (const auto& r : results) {
    bool m = r.contains("compressai");
    q.add_row({fmt::format("{} q{}", std::string(r["arch"]), int(r["quality"])), r["weights"],
               std::to_string(size_t(r["bytes"])), fmt::format("{:.2f}", double(r["psnr"])),
               m ? std::to_string(size_t(r["compressai"]["bytes"])) : "-",
               m ? fmt::format("{:.2f}", double(r["compressai"]["psnr"])) : "-"});
  }
  std::cout << q.render();
}

int run_bench_codec(const BenchCodecOptions& o, const GlobalOptions& g) {
  if (g.threads == 0) {  // CompressAI's published times are single-threaded
    set_thread_count(1);
    nn::set_torch_threads(1);
  }
  std::string name;
  image::Image img = bench_image(o.image, name);
  if (o.quick) img = crop(img, 256, 256);
  const int repeats = o.quick ? 1 : std::max(1, o.repeats);
  nlohmann::json status;
  const std::optional<bench::CompressAIRun> compressai =
      bench::compressai_side_by_side(o.compressai, o.python, "scripts/compressai_codec_bench.py", repeats, status);
  const std::string baseline =
      compressai ? "CompressAI run side by side: the same weights, image and thread count; CompressAI/tiny is the "
                   "ratio of CPU seconds"
                 : "CompressAI's published single-thread CPU times per Kodak image, scaled by pixel count (another "
                   "machine: indicative only)";
  nlohmann::json results = nlohmann::json::array();
  for (const auto& arch : o.archs)
    results.push_back(bench_arch(arch, o.quality, img, repeats, compressai ? &*compressai : nullptr));
  if (g.json) {
    print_json({{"benchmark", "codec"},
                {"image", name},
                {"width", img.width},
                {"height", img.height},
                {"threads", thread_count()},
                {"compressai", status},
                {"baseline", baseline},
                {"results", results}});
    return 0;
  }
  std::cout << fmt::format("image: {} ({}x{}), threads: {}\nbaseline: {}\n\n", name, img.width, img.height,
                           thread_count(), baseline);
  print_tables(results);
  return 0;
}

}  // namespace

void register_bench_codec(Cli& cli) {
  auto o = std::make_shared<BenchCodecOptions>();
  CLI::App* sub = cli.add("codec", "Learned codec encode/decode time per stage, against CompressAI on the same weights",
                          "  tiny bench codec\n  tiny bench codec --arch mbt2018-mean --quality 5 --json\n"
                          "  tiny bench codec --quick --compressai off\n"
                          "  TINY_PYTHON=~/venv/bin/python tiny bench codec",
                          [o, &cli] { return run_bench_codec(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_option("--arch", o->archs, "Architectures to time (the shipped model of that quality, else untrained weights of the zoo size)");
  sub->add_option("--quality", o->quality, "Quality level (sets N/M)");
  sub->add_option("--image", o->image, "Image to code (default: Kodak kodim01, else a generated 768x512)");
  sub->add_option("--repeats", o->repeats, "Runs per measurement (the fastest counts)")->check(CLI::PositiveNumber);
  sub->add_flag("--quick", o->quick, "A 256x256 crop, one run (seconds, for CI)");
  add_compressai_options(sub, o->compressai, o->python);
}

}  // namespace tiny::cli
