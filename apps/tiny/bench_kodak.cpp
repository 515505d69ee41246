// tiny bench kodak / tiny bench images DIR: rate–distortion and speed of tiny's learned models and the
// classical codecs on an image set, with BD metrics against an anchor, published curves, tables, JSON, CSV, RD plots.
#include "bench/codec.hpp"
#include "bench/data_download.hpp"
#include "codec/codec.hpp"
#include "codec/model_file.hpp"
#include "bench/plot.hpp"
#include "bench/report.hpp"
#include "bench/report_page.hpp"
#include "bench/run.hpp"
#include "commands.hpp"
#include "core/atomic_dir.hpp"
#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "core/threads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace tiny::cli {
namespace {

namespace fs = std::filesystem;

struct BenchOptions {
  std::string data, anchor = "jpeg420", csv, plots, report, save_results, rate = "file";
  std::vector<std::string> codecs, compare, models;
  std::vector<std::string> learned = {"mbt2018-mean", "bmshj2018-factorized"};
  std::vector<double> crop_bpp = {0.25, 0.5};
  double bpp_max = 1.5;
  bool quick = false, overwrite = false, offline = false;
};

constexpr size_t kCropImages = 3;
constexpr int kCropSize = 128;

std::vector<bench::Curve> published_curves() {
  fs::path dir = shipped_file("configs/bench/compressai-kodak");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    log::info("published CompressAI curves not found beside the binary; comparing without them");
    return {};
  }
  return bench::read_curve_folder(dir.string());
}

// The set a model file belongs to: its architecture, plus "-int8" or "-q4" when its weights are quantized.
std::string model_set_name(const std::string& path) {
  const codec::ModelFile m = codec::read_model_file(path);
  const std::string weights = codec::describe_model(m)["weights"];
  for (const char* q : {"int8", "q4"})
    if (weights.find(q) != std::string::npos) return m.arch + "-" + q;
  return m.arch;
}

// The classical codecs, then tiny's learned ones: the shipped models of each --learned architecture
// and the --models files, in sets named by architecture and quantization (a --models set replaces
// the shipped set of the same name).
std::vector<std::unique_ptr<bench::Codec>> all_codecs(const BenchOptions& o) {
  std::vector<std::unique_ptr<bench::Codec>> all = bench::classical_codecs();
  std::map<std::string, std::vector<std::string>> sets;
  for (const auto& arch : o.learned) {
    if (arch == "none") continue;
    std::vector<std::string> paths = codec::shipped_models(arch);
    if (paths.empty()) log::info("no trained {} models are shipped; leaving it out", arch);
    else sets[model_set_name(paths.front())] = paths;
  }
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& path : o.models) given[model_set_name(path)].push_back(path);
  for (auto& [name, paths] : given) sets[name] = paths;
  for (const auto& [arch, paths] : sets)
    if (!paths.empty()) all.push_back(bench::make_learned_codec("tiny-" + arch, paths));
  return all;
}

using FilePtr = std::unique_ptr<AtomicFile>;

FilePtr open_output(const std::string& path, bool overwrite) { return std::make_unique<AtomicFile>(path, overwrite); }

void write_and_commit(FilePtr& f, std::string_view data) {
  f->write(data);
  f->commit();
}

std::string_view as_text(const Bytes& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

// The last name of a folder's path ("photos" for "photos/", the current folder's name for ".").
std::string folder_name(const std::string& folder) {
  const fs::path p = fs::absolute(folder).lexically_normal();
  return (p.has_filename() ? p : p.parent_path()).filename().string();
}

// The set the plots and the report page name: "kodak, 24 images, --quick".
std::string set_title(const std::string& set, const bench::BenchResult& r, bool quick) {
  const size_t n = r.files.size() - size_t(r.skipped_images);
  return fmt::format("{}, {} image{}{}", set, n, n == 1 ? "" : "s", quick ? ", --quick" : "");
}

// Fills the report folder with index.html (plots, tables, crops coded again) and renames it into place.
void write_report(AtomicDir& out, const BenchOptions& o, const std::string& title, const bench::BenchResult& r,
                  const std::vector<std::unique_ptr<bench::Codec>>& codecs, const std::vector<bench::Curve>& curves,
                  const std::string& anchor, const std::vector<bench::BdRow>* bd) {
  bench::ReportPage page{title, {}, {}, {}, r.skipped};
  for (auto metric : {bench::PlotMetric::psnr, bench::PlotMetric::ms_ssim_db})
    page.plots_svg.push_back(plot::render_svg(bench::rd_plot(curves, metric, title, o.bpp_max)));
  if (bd) page.tables.emplace_back("BD metrics against " + anchor + " (PSNR-RGB)", bench::bd_table(anchor, *bd));
  page.tables.emplace_back("Means per codec and setting", bench::means_table(r));
  page.tables.emplace_back(fmt::format("Speed (one image per call, mean over the settings; {} images coded at a time)",
                                       thread_count()),
                           bench::speed_table(r));
  log::info("coding the side-by-side crops");
  page.crops = bench::side_by_side_crops(r, codecs, bench::crop_images(r, kCropImages), o.crop_bpp, kCropSize);
  write_file_atomic(out.file("index.html"), bench::render_report_page(page), false);
  out.commit();
}

int run_bench_set(const BenchOptions& o, const std::string& folder, const std::string& set, bool kodak,
                  const GlobalOptions& g) {
  auto codecs = bench::select_codecs(all_codecs(o), o.codecs);
  std::string anchor = o.anchor == "jpeg" ? "jpeg420" : o.anchor;
  std::vector<bench::Curve> extra = kodak ? published_curves() : std::vector<bench::Curve>{};
  for (const auto& f : o.compare) extra.push_back(bench::read_curve_file(f));
  std::vector<std::string> files = bench::list_images(folder, o.quick);

  // Open every output before the long work, so an unwritable folder fails at once.
  FilePtr csv = o.csv.empty() ? nullptr : open_output(o.csv, o.overwrite);
  std::vector<std::pair<FilePtr, std::pair<bench::PlotMetric, bool>>> plots;
  if (!o.plots.empty()) {
    std::error_code ec;
    fs::create_directories(o.plots, ec);
    if (ec) throw Error(file_error(o.plots, "cannot create the folder: " + ec.message()));
    for (auto metric : {bench::PlotMetric::psnr, bench::PlotMetric::ms_ssim_db})
      for (bool svg : {true, false}) {
        std::string name = fmt::format("rd-{}.{}", metric == bench::PlotMetric::psnr ? "psnr" : "msssim", svg ? "svg" : "png");
        plots.emplace_back(open_output((fs::path(o.plots) / name).string(), o.overwrite), std::make_pair(metric, svg));
      }
  }
  std::unique_ptr<AtomicDir> report = o.report.empty() ? nullptr : std::make_unique<AtomicDir>(o.report, o.overwrite);
  std::vector<std::pair<FilePtr, size_t>> saves;
  if (!o.save_results.empty()) {
    std::error_code ec;
    fs::create_directories(o.save_results, ec);
    if (ec) throw Error(file_error(o.save_results, "cannot create the folder: " + ec.message()));
    for (size_t i = 0; i < codecs.size(); ++i)
      saves.emplace_back(open_output((fs::path(o.save_results) / (codecs[i]->name() + ".json")).string(), o.overwrite), i);
  }

  log::info("measuring {} codecs on {} images from {}", codecs.size(), files.size(), folder);
  bench::BenchResult r = bench::run_bench(files, codecs, o.quick);
  if (r.skipped_images == static_cast<int>(files.size())) throw Error(file_error(folder, "no image could be read"));

  std::vector<bench::Curve> curves;
  for (const auto& cr : r.codecs) curves.push_back(bench::to_curve(cr, "tiny bench, " + cr.codec,
                                                                     o.rate == "payload" ? bench::Rate::payload : bench::Rate::file));
  curves.insert(curves.end(), extra.begin(), extra.end());
  // The anchor may be a measured codec or a curve given with --compare (e.g. a saved earlier run).
  auto anchor_it = std::find_if(curves.begin(), curves.end(), [&](const auto& c) { return c.name == anchor; });
  const bool has_anchor = anchor_it != curves.end();
  std::vector<bench::BdRow> bd;
  if (has_anchor) bd = bench::bd_rows(*anchor_it, curves);
  else log::warn("anchor '{}' is neither a measured codec nor a compared curve; no BD table", anchor);

  const std::string title = set_title(set, r, o.quick);
  if (csv) write_and_commit(csv, bench::report_csv(r));
  for (auto& [file, what] : plots) {
    const plot::LinePlot p = bench::rd_plot(curves, what.first, title, o.bpp_max);
    write_and_commit(file, what.second ? plot::render_svg(p) : std::string(as_text(plot::render_png(p))));
  }
  if (report) write_report(*report, o, title, r, codecs, curves, anchor, has_anchor ? &bd : nullptr);
  for (auto& [file, i] : saves) write_and_commit(file, bench::curve_to_json(curves[i]).dump(2) + "\n");

  if (g.json) {
    print_json(bench::report_json(r, curves, anchor, bd));
  } else {
    std::cout << bench::means_table(r).render();
    if (has_anchor) std::cout << "\n" << bench::bd_table(anchor, bd).render();
    std::cout << fmt::format("\n{} images measured, {} skipped, {} in {}\n", files.size() - r.skipped_images,
                             r.skipped_images, r.skipped.size() > size_t(r.skipped_images) ? "some codec failures" : "no codec failures",
                             format_duration(r.seconds));
  }
  return r.skipped.empty() ? 0 : 1;
}

void add_common(CLI::App* sub, BenchOptions& o) {
  sub->add_option("--codecs", o.codecs, "Codecs to measure (default all: jpeg420,jpeg444,webp,jpeg2000,avif,jxl and tiny-<arch> of the learned ones)")
      ->delimiter(',');
  sub->add_option("--learned", o.learned, "Architectures whose shipped models are measured as tiny-<arch> "
                                          "(default mbt2018-mean,bmshj2018-factorized; none: no learned codecs)")
      ->delimiter(',');
  sub->add_option("--models", o.models, "Model files (.tmodel, one per quality) measured as tiny-<arch> (tiny-<arch>-int8/-q4 "
                                        "when quantized), in place of a shipped set of the same name")
      ->delimiter(',')
      ->check(CLI::ExistingFile);
  sub->add_option("--rate", o.rate, "Bytes the curves, BD table, plots and saved results count: whole files, or "
                                    "payloads without the .tic header (as CompressAI's published curves do)")
      ->check(CLI::IsMember({"file", "payload"}));
  sub->add_flag("--quick", o.quick, "A few images and 4 points per codec (for CI and make demo)");
  sub->add_option("--anchor", o.anchor, "Codec or --compare curve the BD metrics are taken against (jpeg = jpeg420)");
  sub->add_option("--compare", o.compare, "A CompressAI results JSON to place beside the codecs (repeatable)");
  sub->add_option("--csv", o.csv, "Write one CSV line per codec, quality and image to this file");
  sub->add_option("--plots", o.plots, "Write RD plots rd-psnr/rd-msssim .svg/.png into this folder");
  sub->add_option("--bpp-max", o.bpp_max, "Right end of the plots' bpp axis (default 1.5: where learned codecs live)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--report", o.report, "Write a self-contained HTML page (RD plots, BD, means and speed tables, "
                                         "side-by-side crops) as DIR/index.html");
  sub->add_option("--crop-bpp", o.crop_bpp, "Target bpps of the report's side-by-side crops (default 0.25,0.5)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  sub->add_option("--save-results", o.save_results, "Write each codec's curve as CompressAI results JSON into this folder");
  add_force_flag(sub, o.overwrite, "Replace existing output files");
}

}  // namespace

void register_bench_kodak(Cli& cli) {
  CLI::App* group = cli.group("bench", "Measure tiny against its baselines");
  auto k = std::make_shared<BenchOptions>();
  CLI::App* kodak = cli.add("kodak", "Rate–distortion and speed of tiny's models and the classical codecs on Kodak, with BD-rate",
                            "  tiny bench kodak --quick\n"
                            "  tiny bench kodak --plots rd/ --csv kodak.csv --compare my_compressai_run.json\n"
                            "  tiny bench kodak --quick --report report/   # report/index.html\n"
                            "  tiny bench kodak --codecs jpeg420,avif,jxl --anchor jpeg --json\n"
                            "  tiny bench kodak --models runs/q1/model.tmodel,runs/q3/model.tmodel --learned none",
                            [k, &cli] { return run_bench_set(*k, bench::find_or_download_data_set("kodak", k->data, k->offline), "kodak", true, cli.globals()); }, group);
  kodak->add_option("--data", k->data, "Folder with the Kodak PNGs (default: $TINY_DATA/kodak, ../shared/data/kodak, "
                                       "$XDG_CACHE_HOME/tiny/kodak, else downloaded there and verified)");
  kodak->add_flag("--offline", k->offline, "Never download a missing data set");
  add_common(kodak, *k);

  // The other named test sets: the same report, found the same way, without published curves.
  for (const char* set : {"clic", "tecnick"}) {
    auto n = std::make_shared<BenchOptions>();
    const std::string name = set;
    CLI::App* sub = cli.add(name, fmt::format("Rate–distortion and speed of tiny's models and the classical codecs on the {} set", name),
                            fmt::format("  tiny bench {0} --quick\n  tiny bench {0} --data ~/data/{0} --plots rd/", name),
                            [n, name, &cli] { return run_bench_set(*n, bench::find_or_download_data_set(name, n->data, n->offline), name, false, cli.globals()); },
                            group);
    sub->add_option("--data", n->data, fmt::format("Folder with the {0} images (default: $TINY_DATA/{0}, ../shared/data/{0}, "
                                                   "$XDG_CACHE_HOME/tiny/{0})", name));
    sub->add_flag("--offline", n->offline, "Never download a missing data set (only sets with a manifest in "
                                           "configs/datasets/ can be downloaded)");
    add_common(sub, *n);
  }

  auto d = std::make_shared<BenchOptions>();
  CLI::App* images = cli.add("images", "Rate–distortion and speed of tiny's models and the classical codecs on any folder of images",
                             "  tiny bench images photos/ --quick\n"
                             "  tiny bench images photos/ --json --csv photos.csv",
                             [d, &cli] { return run_bench_set(*d, d->data, folder_name(d->data), false, cli.globals()); }, group);
  images->add_option("dir,--dir", d->data, "Folder of images")->required();
  add_common(images, *d);
}

}  // namespace tiny::cli
