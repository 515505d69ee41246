// tiny ingest: URL lists, folders and tar shards into WebDataset shards, resumable and split across runs.
#include "commands.hpp"
#include "core/table.hpp"
#include "ingest/ingest.hpp"

#include <fmt/format.h>

#include <iostream>

namespace tiny::cli {
namespace {

struct IngestCliOptions {
  ingest::IngestOptions run;
  std::string resize_mode = "keep_ratio", format = "jpg", hash = "none";
  bool no_http2 = false, ignore_opt_out = false;
  double max_mb = 32;
};

int run_ingest_command(IngestCliOptions& c, const GlobalOptions& g) {
  c.run.process.resize = ingest::resize_mode_from_name(c.resize_mode);
  c.run.process.format = ingest::output_format_from_name(c.format);
  c.run.hash = ingest::hash_type_from_name(c.hash);
  c.run.fetch.http2 = !c.no_http2;
  if (c.ignore_opt_out) c.run.fetch.opt_out.clear();
  c.run.fetch.max_bytes = uint64_t(c.max_mb * 1024 * 1024);
  c.run.threads = g.threads;
  ingest::IngestSummary s = ingest::run_ingest(c.run);
  // A shard read only up to damage is a partial result: everything is written, and the exit says so.
  const size_t failed = s.failed() + s.input_errors.size();
  const int code = batch_exit_code(failed, s.samples - s.failed(), g);
  if (g.json) {
    print_json(s.to_json());
    return code;
  }
  Table t({"outcome", "samples"});
  t.add_row({"success", std::to_string(s.successes)});
  for (const auto& [reason, n] : s.failures) t.add_row({reason, std::to_string(n)});
  std::cout << t.render();
  std::cout << fmt::format("{} samples in {:.1f}s ({:.0f} images/s), {} shards written, {} skipped as complete\n",
                           s.samples, s.seconds, s.seconds > 0 ? s.successes / s.seconds : 0.0, s.shards_written,
                           s.shards_skipped);
  if (s.tar_members_rejected) std::cout << fmt::format("{} tar members refused (see warnings)\n", s.tar_members_rejected);
  if (!s.input_errors.empty())
    std::cout << fmt::format("{} tar shards damaged, read up to the damage (see warnings)\n", s.input_errors.size());
  if (s.captions_repaired)
    std::cout << fmt::format("{} captions were not UTF-8: bad bytes replaced by U+FFFD (see warnings)\n",
                             s.captions_repaired);
  return code;
}

}  // namespace

void register_ingest(Cli& cli) {
  auto c = std::make_shared<IngestCliOptions>();
  auto& o = c->run;
  CLI::App* sub = cli.add(
      "ingest", "Download/convert URL lists, folders and tar shards into WebDataset shards",
      "  tiny ingest urls.txt -o shards/\n"
      "  tiny ingest laion.parquet.csv --url-col URL --caption-col TEXT -o shards/ --size 256 --resize-mode center_crop\n"
      "  tiny ingest urls.jsonl -o shards/ --shard-index $SLURM_ARRAY_TASK_ID --num-shards 16 --resume\n"
      "  tiny ingest 'old/data-{00000..00099}.tar' -o resized/ --size 512 --format webp --quality 90\n"
      "  tiny ingest urls.csv.gz -o shards/ --hash sha256 --verify-hash sha256 --resize-only-if-bigger\n"
      "  zcat urls.txt.gz | tiny ingest - -o shards/ --allow-failures",
      [c, &cli] { return run_ingest_command(*c, cli.globals()); });
  sub->add_option("inputs", o.inputs,
                  "URL lists (.txt/.csv/.tsv/.jsonl, also .gz/.zst/.xz/.bz2; '-': stdin), folders or tar shards (brace "
                  "patterns)")
      ->required();
  sub->add_option("-o,--output", o.output, "Output folder for the shards")->required();
  sub->add_option("--input-format", o.input_format, "URL list format (default: by extension)")
      ->check(CLI::IsMember({"txt", "csv", "tsv", "jsonl"}));
  sub->add_option("--url-col", o.columns.url, "Name of the URL column/field");
  sub->add_option("--caption-col", o.columns.caption, "Name of the caption column/field");
  sub->add_option("--shard-size", o.shard_size, "Samples per shard")->check(CLI::Range(1, 1 << 20));
  sub->add_option("--shard-index", o.shard_index, "This run's part (0-based) when split across runs");
  sub->add_option("--num-shards", o.num_shards, "Number of runs the input is split across")->check(CLI::PositiveNumber);
  sub->add_flag("--resume", o.resume, "Skip complete shards and redo incomplete ones");
  add_force_flag(sub, o.overwrite, "Replace existing shards");
  add_allow_failures_flag(sub, cli.globals());
  sub->add_option("--concurrency", o.fetch.concurrency, "Downloads in flight")->check(CLI::PositiveNumber);
  sub->add_option("--per-host", o.fetch.per_host, "Connections per host")->check(CLI::PositiveNumber);
  sub->add_option("--connect-timeout", o.fetch.connect_timeout, "Seconds to connect")->check(CLI::PositiveNumber);
  sub->add_option("--timeout", o.fetch.timeout, "Seconds for a whole download")->check(CLI::PositiveNumber);
  sub->add_option("--retries", o.fetch.retries, "Extra attempts on 429, 5xx, timeouts and resets")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--backoff", o.fetch.backoff, "First retry delay in seconds (doubles, with jitter)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-retry-after", o.fetch.max_retry_after,
                  "Longest wait in seconds a Retry-After header gets before a retry (0 to 3600)")
      ->check(CLI::Range(0.0, 3600.0));
  sub->add_option("--max-mb", c->max_mb, "Largest body to download, in MiB (1/1024 to 1048576)")
      ->check(in_range(1.0 / 1024, 1024.0 * 1024));
  sub->add_option("--max-redirects", o.fetch.max_redirects, "Redirects to follow")->check(CLI::NonNegativeNumber);
  sub->add_option("--user-agent", o.fetch.user_agent, "User-Agent header");
  sub->add_flag("--no-http2", c->no_http2, "Use HTTP/1.1 only");
  sub->add_option("--opt-out", o.fetch.opt_out, "X-Robots-Tag values that refuse a download")->delimiter(',');
  sub->add_flag("--ignore-opt-out", c->ignore_opt_out, "Download even when X-Robots-Tag opts out");
  sub->add_option("--s3-endpoint", o.fetch.s3_endpoint, "S3-compatible endpoint for s3:// URLs (path style)");
  sub->add_option("--s3-region", o.fetch.s3_region, "Region for S3 request signing");
  sub->add_option("--resize-mode", c->resize_mode, "no, keep_ratio, center_crop or border")
      ->check(CLI::IsMember({"no", "keep_ratio", "center_crop", "border"}));
  sub->add_option("--size", o.process.size, "Target size in pixels")->check(CLI::Range(1, 16384));
  sub->add_option("--min-size", o.process.min_size, "Drop images whose shorter side is smaller")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-aspect", o.process.max_aspect, "Drop images with longer/shorter side above this")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-area", o.process.max_area, "Drop images of more pixels (width x height) than this (0: any)");
  sub->add_flag("--resize-only-if-bigger", o.process.resize_only_if_bigger,
                "Never upscale: images already within --size keep their size");
  sub->add_option("--hash", c->hash, "Store this digest of the downloaded bytes in each sample's JSON")
      ->check(CLI::IsMember({"none", "sha256", "md5"}));
  sub->add_option("--verify-hash", o.verify_hash,
                  "List column holding each sample's expected digest (with --hash): a mismatch fails the sample");
  sub->add_option("--format", c->format, "jpg, png, webp, or keep (original bytes; needs --resize-mode no)")
      ->check(CLI::IsMember({"jpg", "jpeg", "png", "webp", "keep"}));
  sub->add_option("--quality", o.process.quality, "JPEG/WebP quality")->check(CLI::Range(1, 100));
  sub->add_flag("--dedup", o.dedup,
                "Drop near-duplicates of earlier samples of the run (filter-dataset's crop-robust views and defaults)");
  sub->add_option("--dedup-threshold", o.dedup_threshold, "--dedup's fine threshold (as filter-dataset --threshold)")
      ->check(CLI::Range(0, 256));
  sub->add_option("--dedup-coarse-threshold", o.dedup_coarse_threshold,
                  "--dedup's candidate stage (as filter-dataset --coarse-threshold)")
      ->check(CLI::Range(0, 64));
  sub->add_flag("--dedup-flips", o.dedup_flips, "--dedup also drops left-right mirrored copies");
}

}  // namespace tiny::cli
