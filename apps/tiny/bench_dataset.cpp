// tiny bench hash / dedup / dedup-quality: hashing speed, near-duplicate search speed and accuracy.
#include "bench/dataset_bench.hpp"
#include "bench/dedup_quality.hpp"
#include "commands.hpp"
#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/table.hpp"
#include "dataset/perceptual_hash.hpp"
#include "dataset/view_hash.hpp"
#include "plot/plot.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <iostream>

namespace tiny::cli {
namespace {

struct HashBenchOptions {
  std::string images;
  int count = 24, rounds = 8;
  bool quick = false;
};

struct DedupBenchOptions {
  size_t n = 1'000'000, planted = 10'000, sample = 20'000;
  int threshold = 8;
  bool quick = false;
};

struct ViewDedupBenchOptions {
  size_t n = 1'000'000, planted = 10'000, sample = 3'000;
  int coarse = dataset::kCoarseThreshold, fine = dataset::kFineThreshold;
  bool quick = false;
};

// One "0:0.1"-style text per lattice of window cuts (as the command line and config file take them).
std::vector<std::string> lattice_texts(const std::vector<std::vector<float>>& lattices) {
  std::vector<std::string> out;
  for (const auto& cuts : lattices) out.push_back(fmt::format("{:g}", fmt::join(cuts, ":")));
  return out;
}

// Lattices from texts such as "0:0.1" (several in one text may be separated by spaces or commas).
std::vector<std::vector<float>> parse_lattices(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  for (std::string text : texts) {
    std::replace(text.begin(), text.end(), ',', ' ');
    std::stringstream lattices(text);
    std::string lattice;
    while (lattices >> lattice) {
      std::vector<float> cuts;
      std::stringstream in(lattice);
      std::string item;
      while (std::getline(in, item, ':')) {
        char* end = nullptr;
        float v = std::strtof(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !(v >= 0 && v < 0.5f))
          throw UsageError("--window-cuts: '" + lattice + "' is not a list of fractions in 0..0.5 separated by ':'");
        cuts.push_back(v);
      }
      out.push_back(cuts);
    }
  }
  return out;
}

struct QualityBenchOptions {
  std::string photos, split = "held-out", csv, plot;
  std::vector<std::string> window_cuts = lattice_texts(dataset::kWindowCuts);
  int count = 0;
  bench::QualityOptions quality;
  bool quick = false;
};

void print_quality(const nlohmann::json& j, const GlobalOptions& g) {
  if (g.json) {
    print_json(j);
    return;
  }
  Table t({"method", "threshold", "recall", "mirror recall", "precision", "false pairs at 10^6"});
  auto add = [&](const std::string& name, const nlohmann::json& row) {
    if (row.is_null()) return;
    t.add_row({name, row["threshold"].dump(), fmt::format("{:.3f}", row["recall"].get<double>()),
               fmt::format("{:.3f}", row["recall_mirror"].get<double>()), fmt::format("{:.4f}", row["precision"].get<double>()),
               fmt::format("{:.3g}", row["expected_false_pairs"].get<double>())});
  };
  for (auto it = j["kinds"].begin(); it != j["kinds"].end(); ++it) {
    if (it.key() == "views") continue;
    int t0 = dataset::default_threshold(dataset::hash_kind_from_name(it.key()));
    add(it.key() + " (old default)", (*it)["thresholds"][size_t(t0)]);
    add(it.key() + " (within budget)", (*it)["at_budget"]);
  }
  const auto& v = j["kinds"]["views"];
  add("views (default)", v["default"]);
  add("views (within budget)", v["at_budget"]);
  Table pv({"variant", "recall"});
  for (auto it = v["recall_per_variant"].begin(); it != v["recall_per_variant"].end(); ++it)
    pv.add_row({it.key(), fmt::format("{:.3f}", it->get<double>())});
  std::cout << fmt::format("{} photos x {} variants, {} distinct pairs; false pairs extrapolated to {:.3g} images "
                           "(budget {}):\n",
                           j["photos"].get<size_t>(), j["variants_per_photo"].get<size_t>(),
                           j["distinct_pairs"].get<size_t>(), j["scale"].get<double>(), j["budget"].get<double>())
            << t.render()
            << fmt::format("views: colours agree for k = {} of the n = {} distinct pairs in the tail fit's range "
                           "(q = (k + 1) / (n + 1) = {:.3f}; false pairs = tail fit x q)\n",
                           v["colour_pass_pairs"].get<uint64_t>(), v["fit_range_pairs"].get<uint64_t>(),
                           v["colour_pass_in_fit"].get<double>())
            << fmt::format("views (default), recall per variant:\n") << pv.render();
}

// The recall / false-pair curves of every method: CSV rows and an SVG plot (recall against log10
// of the expected false pairs at the data-set size).
void write_curves(const nlohmann::json& j, const std::string& csv, const std::string& plot) {
  std::string text = "method,threshold,recall,recall_mirror,precision,expected_false_pairs\n";
  plot::LinePlot lp;
  lp.title = fmt::format("Edited copies found against false pairs: {} photos, {} copies each", j["photos"].get<size_t>(),
                         j["variants_per_photo"].get<size_t>());
  const double scale = j["scale"].get<double>(), power = std::log10(scale);
  lp.x_label = fmt::format("log10 expected false pairs among {} distinct images",
                           power == std::floor(power) ? fmt::format("10^{:.0f}", power) : fmt::format("{:.0f}", scale));
  lp.y_label = "recall (edited copies found)";
  lp.y = {0, 1};
  for (auto it = j["kinds"].begin(); it != j["kinds"].end(); ++it) {
    plot::Series s;
    s.name = it.key();
    s.markers = false;
    for (const auto& r : (*it)["thresholds"]) {
      double e = r["expected_false_pairs"].get<double>();
      text += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.6g}\n", it.key(), r["threshold"].get<int>(), r["recall"].get<double>(),
                          r["recall_mirror"].get<double>(), r["precision"].get<double>(), e);
      if (e > 0 && e < 1e12) {
        s.x.push_back(std::log10(e));
        s.y.push_back(r["recall"].get<double>());
      }
    }
    lp.series.push_back(s);
  }
  const double budget = std::log10(j["budget"].get<double>());
  lp.series.push_back({fmt::format("budget: {:g} false pairs", j["budget"].get<double>()), {budget, budget}, {0, 1}, false, true});
  if (!csv.empty()) write_file_atomic(csv, text, true);
  if (!plot.empty()) write_file_atomic(plot, plot::render_svg(lp), true);
}

void print_rows(const nlohmann::json& j, const GlobalOptions& g) {
  if (g.json) {
    print_json(j);
    return;
  }
  Table t({"measure", "value"});
  for (auto it = j.begin(); it != j.end(); ++it)
    t.add_row({it.key(), it->is_number_float() ? fmt::format("{:.3f}", it->get<double>()) : it->dump()});
  std::cout << t.render();
}

}  // namespace

void register_bench_dataset(Cli& cli) {
  CLI::App* bench = cli.group("bench", "Measure tiny against its baselines");
  auto h = std::make_shared<HashBenchOptions>();
  CLI::App* sh = cli.add(
      "hash", "pHash images/s: tiny (reduced-scale JPEG decode) vs full-decode OpenCV pHash",
      "  tiny bench hash\n  tiny bench hash --images ../shared/data/kodak --rounds 20 --json",
      [h, &cli] {
        std::string folder = find_data_set("kodak", h->images);
        auto jpegs = bench::bench_jpegs(folder, h->quick ? 4 : h->count);
        print_rows(bench::bench_hash(jpegs, h->quick ? 2 : h->rounds), cli.globals());
        return 0;
      },
      bench);
  sh->add_option("--images", h->images, "Folder of PNG/JPEG pictures, re-encoded as JPEG q90 (default: Kodak)");
  sh->add_option("--count", h->count, "Pictures to use");
  sh->add_option("--rounds", h->rounds, "Times each picture is hashed");
  sh->add_flag("--quick", h->quick, "A few seconds: 4 pictures, 2 rounds");

  auto d = std::make_shared<DedupBenchOptions>();
  CLI::App* sd = cli.add(
      "dedup", "All pairs within a Hamming distance: multi-index hashing vs brute force",
      "  tiny bench dedup\n  tiny bench dedup --hashes 200000 --threshold 6 --json",
      [d, &cli] {
        if (d->quick) *d = {50'000, 500, 5'000, d->threshold, true};
        print_rows(bench::bench_dedup(d->n, d->planted, d->threshold, d->sample), cli.globals());
        return 0;
      },
      bench);
  sd->add_option("--hashes", d->n, "Random 64-bit hashes");
  sd->add_option("--planted", d->planted, "Planted near copies (distance 1..threshold)");
  sd->add_option("--threshold", d->threshold, "Hamming distance");
  sd->add_option("--sample", d->sample, "Hashes compared by brute force");
  sd->add_flag("--quick", d->quick, "A few seconds: 50 000 hashes");

  auto v = std::make_shared<ViewDedupBenchOptions>();
  CLI::App* sv = cli.add(
      "dedup-views", "All matching pairs of crop-robust signatures (filter-dataset's default) vs the old pHash index",
      "  tiny bench dedup-views\n  tiny bench dedup-views --images 200000 --json",
      [v, &cli] {
        if (v->quick) {
          v->n = 50'000;
          v->planted = 500;
          v->sample = 1'000;
        }
        print_rows(bench::bench_view_dedup(v->n, v->planted, v->coarse, v->fine, v->sample), cli.globals());
        return 0;
      },
      bench);
  sv->add_option("--images", v->n, "Random signatures (images)");
  sv->add_option("--planted", v->planted, "Planted near copies (a window of an original, within the thresholds)");
  sv->add_option("--coarse-threshold", v->coarse, "Candidate stage's 64-bit distance");
  sv->add_option("--threshold", v->fine, "Fine (256-bit) distance");
  sv->add_option("--sample", v->sample, "Signatures compared by brute force for the exactness check");
  sv->add_flag("--quick", v->quick, "A few seconds: 50 000 signatures");

  auto q = std::make_shared<QualityBenchOptions>();
  CLI::App* sq = cli.add(
      "dedup-quality", "Near-duplicate precision/recall per hash and threshold on edited copies of real photos",
      "  tiny bench dedup-quality\n  tiny bench dedup-quality --photos ../shared/data/train --count 100 --json",
      [q, &cli] {
        q->quality.window_cuts = parse_lattices(q->window_cuts);
        std::string folder = find_data_set("train", q->photos);
        auto photos = bench::load_photos(folder, q->quick ? 12 : q->count, bench::photo_split_from_name(q->split));
        nlohmann::json j = bench::dedup_quality(photos, q->quality);
        write_curves(j, q->csv, q->plot);
        print_quality(j, cli.globals());
        return 0;
      },
      bench);
  sq->add_option("--photos", q->photos, "Folder of photos, searched recursively (default: shared train data)");
  sq->add_option("--count", q->count, "Photos used (spread over the sorted list; default all of the split)");
  sq->add_option("--split", q->split,
                 "held-out (default: the half no setting was chosen on), tune (the half the defaults were chosen on) or all");
  sq->add_option("--window-cuts", q->window_cuts,
                 "Crop windows of the views: a lattice of fractions cut per edge (every combination), e.g. 0:0.1; "
                 "several lattices separated by spaces or commas (default 0:0.1 0.025:0.075)");
  sq->add_option("--coarse-threshold", q->quality.coarse_threshold, "Candidate stage of the views (64-bit distance)");
  sq->add_option("--fine-threshold", q->quality.fine_threshold, "Verification stage of the views (256-bit distance)");
  sq->add_flag("--mirror", q->quality.mirror, "Match mirrored views too (mirrored copies count towards recall)");
  sq->add_option("--scale", q->quality.scale, "Data set size the false pairs are extrapolated to");
  sq->add_option("--budget", q->quality.budget, "False pairs allowed at that size (rows 'within budget')");
  sq->add_option("--csv", q->csv, "Write every method's threshold curve to this CSV file");
  sq->add_option("--plot", q->plot, "Write recall against expected false pairs as this SVG file");
  sq->add_flag("--quick", q->quick, "A few seconds: 12 photos");
}

}  // namespace tiny::cli
