// tiny bench hash / dedup / dedup-quality: hashing speed, near-duplicate search speed and accuracy.
#include "commands.hpp"
#include "core/data_paths.hpp"
#include "core/table.hpp"
#include "dataset/benchmarks.hpp"
#include "dataset/dedup_quality.hpp"

#include <fmt/format.h>

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

struct QualityBenchOptions {
  std::string photos;
  int count = 60;
  bool quick = false;
};

void print_quality(const nlohmann::json& j, const GlobalOptions& g) {
  if (g.json) {
    print_json(j);
    return;
  }
  Table t({"hash", "threshold", "recall", "mirror recall", "precision"});
  for (auto it = j["kinds"].begin(); it != j["kinds"].end(); ++it) {
    const auto& b = (*it)["best_at_precision_0.99"];
    if (b.is_null()) continue;
    t.add_row({it.key(), b["threshold"].dump(), fmt::format("{:.3f}", b["recall"].get<double>()),
               fmt::format("{:.3f}", b["recall_mirror"].get<double>()), fmt::format("{:.4f}", b["precision"].get<double>())});
  }
  std::cout << fmt::format("{} photos x {} variants; per hash, the largest threshold with precision >= 0.99:\n",
                           j["photos"].get<size_t>(), j["variants_per_photo"].get<size_t>())
            << t.render();
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
        auto jpegs = dataset::bench_jpegs(folder, h->quick ? 4 : h->count);
        print_rows(dataset::bench_hash(jpegs, h->quick ? 2 : h->rounds), cli.globals());
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
        print_rows(dataset::bench_dedup(d->n, d->planted, d->threshold, d->sample), cli.globals());
        return 0;
      },
      bench);
  sd->add_option("--hashes", d->n, "Random 64-bit hashes");
  sd->add_option("--planted", d->planted, "Planted near copies (distance 1..threshold)");
  sd->add_option("--threshold", d->threshold, "Hamming distance");
  sd->add_option("--sample", d->sample, "Hashes compared by brute force");
  sd->add_flag("--quick", d->quick, "A few seconds: 50 000 hashes");

  auto q = std::make_shared<QualityBenchOptions>();
  CLI::App* sq = cli.add(
      "dedup-quality", "Near-duplicate precision/recall per hash and threshold on edited copies of real photos",
      "  tiny bench dedup-quality\n  tiny bench dedup-quality --photos ../shared/data/train --count 100 --json",
      [q, &cli] {
        std::string folder = find_data_set("train", q->photos);
        auto photos = dataset::load_photos(folder, q->quick ? 12 : q->count);
        print_quality(dataset::dedup_quality(photos), cli.globals());
        return 0;
      },
      bench);
  sq->add_option("--photos", q->photos, "Folder of photos, searched recursively (default: shared train data)");
  sq->add_option("--count", q->count, "Photos used (spread over the sorted list)");
  sq->add_flag("--quick", q->quick, "A few seconds: 12 photos");
}

}  // namespace tiny::cli
