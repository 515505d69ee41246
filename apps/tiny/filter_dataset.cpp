// tiny filter-dataset SRC...: drop unreadable, filtered, exactly and nearly duplicated images.
#include "commands.hpp"
#include "core/atomic_dir.hpp"
#include "core/error.hpp"
#include "core/table.hpp"
#include "dataset/actions.hpp"
#include "dataset/analyze.hpp"
#include "dataset/hash_cache.hpp"
#include "dataset/report.hpp"
#include "dataset/score.hpp"
#include "dataset/select.hpp"
#include "dataset/shard_output.hpp"
#include "dataset/sources.hpp"
#include "models_plugin.hpp"

#include <fmt/format.h>

#include <iostream>
#include <sstream>

namespace tiny::cli {
namespace {

// Exit status of --fail-on-duplicates when any file was removed as a duplicate.
constexpr int kDuplicatesFound = 3;

struct FilterOptions {
  std::vector<std::string> sources, references;
  std::string out, action = "list", hash = "views", keep = "largest", report, formats, cache;
  int threshold = -1;  // -1: the hash kind's default
  int coarse_threshold = dataset::kCoarseThreshold;
  bool flips = false, fail_on_duplicates = false;
  size_t shard_size = 1000;
  dataset::Filters filters;
  scorer::ScorerOptions scorer;
  bool verify_decode = false, force = false;
};

std::vector<image::Format> parse_formats(const std::string& list) {
  std::vector<image::Format> out;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    image::Format f = image::format_from_name(name);
    if (f == image::Format::unknown) throw UsageError("--formats: unknown format '" + name + "'");
    out.push_back(f);
  }
  return out;
}

int run_filter(FilterOptions o, const GlobalOptions& g) {
  dataset::Action action = dataset::action_from_name(o.action);
  if (action != dataset::Action::list && o.out.empty()) throw UsageError("--action " + o.action + " needs -o OUT");
  dataset::AnalyzeOptions a;
  a.hash = dataset::hash_kind_from_name(o.hash);
  a.verify_decode = o.verify_decode;
  a.filters = o.filters;
  a.filters.formats = parse_formats(o.formats);
  dataset::KeepPolicy policy = dataset::keep_policy_from_name(o.keep);
  if (!o.report.empty()) check_can_replace_folder(o.report, o.force);
  a.mirror = o.flips;
  if (o.flips && a.hash != dataset::HashKind::views) throw UsageError("--flips needs --hash views");
  if (o.threshold == -1) o.threshold = dataset::default_threshold(a.hash);
  if (o.threshold < 0 || o.threshold >= dataset::hash_bits(a.hash))
    throw UsageError(fmt::format("--threshold must be in 0..{}", dataset::hash_bits(a.hash) - 1));
  if (o.coarse_threshold < 0 || o.coarse_threshold > 64) throw UsageError("--coarse-threshold must be in 0..64");

  std::unique_ptr<dataset::ImageScorer> scorer;
  if (!o.scorer.model.empty()) scorer = models_plugin().load_scorer(o.scorer);
  else if (a.filters.min_score || a.filters.max_score) throw UsageError("--min-score and --max-score need --scorer MODEL");

  dataset::SourceListing listing = dataset::list_sources(o.sources);
  const size_t references = dataset::append_references(listing, o.references);
  dataset::check_action({listing.files.begin(), listing.files.end() - long(references)}, action);
  for (const auto& p : listing.problems) std::fprintf(stderr, "tiny: skipped %s: %s\n", p.path.c_str(), p.reason.c_str());
  dataset::HashCache cache(a.hash);
  if (!o.cache.empty()) {
    try {
      cache = dataset::HashCache::load(o.cache, a.hash);
    } catch (const Error& e) {
      std::fprintf(stderr, "tiny: warning: %s; starting a new cache\n", e.what());
    }
    a.cache = &cache;
  }
  std::vector<dataset::FileRecord> records = dataset::analyze_files(listing.files, a);
  for (size_t i = records.size() - references; i < records.size(); ++i) records[i].reference = true;
  if (!o.cache.empty()) {
    for (const auto& r : records)
      if (r.error.empty() && r.filtered.empty()) cache.put(r.file.path, {r.size, r.mtime_ns, r.content, r.hash, r.signature});
    cache.save(o.cache);
  }
  if (scorer) dataset::score_records(records, *scorer, a.filters);
  size_t unreadable = 0;
  for (const auto& r : records) {
    if (r.error.empty()) continue;
    ++unreadable;
    std::fprintf(stderr, "tiny: skipped %s\n", r.error.c_str());
  }
  dataset::Selection s = dataset::select_files(records, {a.hash, o.threshold, o.coarse_threshold}, policy);

  std::vector<dataset::SourceFile> kept;
  for (size_t i : s.kept) kept.push_back(records[i].file);
  if (action == dataset::Action::shards) dataset::write_shards(kept, o.out, o.shard_size);
  else dataset::place_files(kept, o.out, action);
  if (!o.report.empty()) dataset::write_report(o.report, records, s, o.force);

  nlohmann::json sum = dataset::summary_json(records, s);
  if (g.json) {
    nlohmann::json j = dataset::selection_json(records, s);
    j["problems"] = nlohmann::json::array();
    for (const auto& p : listing.problems) j["problems"].push_back({{"path", p.path}, {"reason", p.reason}});
    print_json(j);
  } else {
    Table table({"files", "kept", "removed", "unreadable", "filtered", "duplicates", "groups"});
    std::vector<std::string> row;
    for (const char* k : {"files", "kept", "removed", "unreadable", "filtered", "duplicates", "groups"})
      row.push_back(std::to_string(sum[k].get<size_t>()));
    table.add_row(row);
    std::cout << table.render();
  }
  const int code = batch_exit_code(unreadable, records.size() - unreadable, g);
  if (code == 0 && o.fail_on_duplicates && sum["duplicates"].get<size_t>() > 0) return kDuplicatesFound;
  return code;
}

}  // namespace

void register_filter_dataset(Cli& cli) {
  auto o = std::make_shared<FilterOptions>();
  CLI::App* sub = cli.add(
      "filter-dataset", "Remove unreadable, too small, low-quality, duplicate and near-duplicate images",
      "  tiny filter-dataset photos/ --report report/\n"
      "  tiny filter-dataset new/ --reference curated/ --fail-on-duplicates\n"
      "  tiny filter-dataset list.txt manifest.jsonl -o clean/ --action hardlink --threshold 6\n"
      "  tiny filter-dataset photos/ --min-side 256 --max-aspect 3 --formats jpeg,png --json\n"
      "  tiny filter-dataset 'data-{00000..00009}.tar' -o clean/ --action shards\n"
      "  find photos -name '*.jpg' | tiny filter-dataset - --json --allow-failures\n"
      "  tiny filter-dataset photos/ --scorer aesthetic.pt --scorer-mean 0.485,0.456,0.406 --scorer-std 0.229,0.224,0.225 "
      "--min-score 5",
      [o, &cli] { return run_filter(*o, cli.globals()); });
  sub->add_option("sources", o->sources,
                  "Folders (recursive), .txt file lists ('-': a list on stdin), .jsonl manifests with \"path\", .tar "
                  "shards (brace patterns)")
      ->required();
  sub->add_option("-o,--out", o->out, "Output folder for copy/hardlink/symlink/move/shards");
  sub->add_option("--action", o->action,
                  "list (default), copy, hardlink, symlink, move or shards (tar members: list, copy or shards)");
  sub->add_option("--shard-size", o->shard_size, "Samples per shard with --action shards")->check(CLI::PositiveNumber);
  sub->add_option("--reference", o->references,
                  "Reference folder, list or shard (repeatable): its files are kept and never placed; inputs that "
                  "duplicate them are removed");
  sub->add_option("--hash", o->hash, "Near-duplicate hash: views (default, crop-robust), phash, dhash, ahash or phash256");
  sub->add_option("--threshold", o->threshold,
                  fmt::format("Near-duplicate Hamming distance (default: views {}, phash {}, dhash {}, ahash {}, phash256 {})",
                              dataset::default_threshold(dataset::HashKind::views),
                              dataset::default_threshold(dataset::HashKind::phash),
                              dataset::default_threshold(dataset::HashKind::dhash),
                              dataset::default_threshold(dataset::HashKind::ahash),
                              dataset::default_threshold(dataset::HashKind::phash256)));
  sub->add_option("--coarse-threshold", o->coarse_threshold,
                  fmt::format("views: candidate stage's 64-bit distance (default {})", dataset::kCoarseThreshold));
  sub->add_flag("--flips", o->flips, "views: also match left-right mirrored copies");
  sub->add_flag("--fail-on-duplicates", o->fail_on_duplicates,
                "Exit with status 3 when any duplicate was found (for CI checks)");
  sub->add_option("--keep", o->keep, "Which duplicate to keep: largest (default), largest-file, oldest, first");
  sub->add_option("--min-side", o->filters.min_side, "Remove images whose shorter side is below this");
  sub->add_option("--max-side", o->filters.max_side, "Remove images whose longer side is above this");
  sub->add_option("--min-pixels", o->filters.min_pixels, "Remove images with fewer pixels");
  sub->add_option("--max-aspect", o->filters.max_aspect, "Remove images with longer/shorter side above this");
  sub->add_option("--formats", o->formats, "Allowed formats, comma-separated (e.g. jpeg,png)");
  sub->add_option("--min-sharpness", o->filters.min_sharpness,
                  "Remove blurry images: variance of the Laplacian at 256 px below this");
  sub->add_option("--min-brightness", o->filters.min_brightness, "Remove images with mean luma below this");
  sub->add_option("--max-brightness", o->filters.max_brightness, "Remove images with mean luma above this");
  sub->add_option("--min-contrast", o->filters.min_contrast, "Remove images with luma deviation below this");
  sub->add_option("--min-colourfulness", o->filters.min_colourfulness,
                  "Remove images with Hasler-Suesstrunk colourfulness below this");
  sub->add_option("--scorer", o->scorer.model, "TorchScript model scoring each image (one score per image)");
  sub->add_option("--scorer-size", o->scorer.size, "Scorer input: size x size pixels");
  sub->add_option("--scorer-resize", o->scorer.resize,
                  "center-crop (default: shorter side to the size, central square) or stretch");
  sub->add_option("--scorer-mean", o->scorer.mean, "Per-channel mean subtracted (model channel order; 1 or 3 values)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--scorer-std", o->scorer.std, "Per-channel standard deviation divided by (1 or 3 values)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--scorer-channels", o->scorer.channels, "The model's channel order: rgb (default) or bgr");
  sub->add_option("--scorer-range", o->scorer.range, "Pixels are scaled to 0..range before mean/std (1 or 255)");
  sub->add_option("--scorer-batch", o->scorer.batch, "Images per scorer forward pass");
  sub->add_option("--min-score", o->filters.min_score, "Remove images the scorer scores below this");
  sub->add_option("--max-score", o->filters.max_score, "Remove images the scorer scores above this");
  sub->add_flag("--verify-decode", o->verify_decode, "Decode every image fully to find corrupt files");
  sub->add_option("--cache", o->cache, "Hash cache file: unchanged files are not decoded again");
  sub->add_option("--report", o->report,
                  "Write lists, groups.json, contact sheets and index.html as this folder (new or empty; see --force)");
  add_force_flag(sub, o->force, "Replace an existing --report folder whole");
  add_allow_failures_flag(sub, cli.globals());
}

}  // namespace tiny::cli
