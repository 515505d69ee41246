// tiny bench ingest: end-to-end images/s of tiny ingest on loopback against a naive sequential path.
#include "commands.hpp"
#include "core/table.hpp"
#include "bench/ingest_bench.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace tiny::cli {
namespace {

// The shared photos folder ($TINY_DATA/train, else ../shared/data/train beside the repo).
std::string default_photos() {
  if (const char* d = std::getenv("TINY_DATA")) return (std::filesystem::path(d) / "train").string();
  return "../shared/data/train";
}

int run_bench_ingest(bench::IngestBenchOptions& o, const GlobalOptions& g) {
  o.threads = g.threads;
  Json r = bench::run_ingest_bench(o);
  if (g.json) {
    print_json(r);
    return 0;
  }
  double naive = r["baseline"]["images_per_s"];
  Table t({"method", "concurrency", "threads", "images/s", "vs naive", "fetch wall s", "decode+resize cpu s",
           "encode cpu s", "tar s", "peak RSS MiB"});
  for (const auto& x : r["results"]) {
    const auto& time = x["time"];
    t.add_row({"tiny", std::to_string(int(x["concurrency"])), std::to_string(int(x["threads"])),
               fmt::format("{:.0f}", double(x["images_per_s"])), fmt::format("{:.1f}x", double(x["images_per_s"]) / naive),
               fmt::format("{:.2f}", double(time["fetch_wall_s"])), fmt::format("{:.2f}", double(time["decode_resize_cpu_s"])),
               fmt::format("{:.2f}", double(time["encode_cpu_s"])), fmt::format("{:.2f}", double(time["tar_wall_s"])),
               fmt::format("{:.0f}", double(x["peak_rss_mb"]))});
  }
  t.add_row({"download only", std::to_string(int(r["download_only"]["concurrency"])), "-",
             fmt::format("{:.0f}", double(r["download_only"]["images_per_s"])), "", "", "", "", "", ""});
  t.add_row({"naive sequential", "1", "1", fmt::format("{:.0f}", naive), "1.0x", "", "", "", "", ""});
  std::cout << t.render();
  std::cout << fmt::format("{} source photos at 768x512 (mean {} bytes) -> shorter side 256, JPEG; tiny {:.1f}x the naive path\n",
                           int(r["source_images"]), int(r["mean_jpeg_bytes"]), double(r["ratio"]));
  return 0;
}

}  // namespace

void register_bench_ingest(Cli& cli) {
  auto o = std::make_shared<bench::IngestBenchOptions>();
  o->photos = default_photos();
  CLI::App* sub = cli.add("ingest", "Images/s of tiny ingest on a loopback server vs a naive sequential download loop",
                          "  tiny bench ingest --quick\n"
                          "  tiny --threads 2 bench ingest --json --photos ../shared/data/train",
                          [o, &cli] { return run_bench_ingest(*o, cli.globals()); },
                          cli.group("bench", "Measure tiny against its baselines"));
  sub->add_flag("--quick", o->quick, "400 URLs, two concurrency levels, a few seconds (for CI)");
  sub->add_option("--photos", o->photos, "Folder of source JPEG photos (default: the shared train set)");
  sub->add_option("--urls", o->urls, "URLs per tiny run")->check(CLI::PositiveNumber);
  sub->add_option("--baseline-urls", o->baseline_urls, "URLs for the naive baseline")->check(CLI::PositiveNumber);
  sub->add_option("--concurrency", o->concurrency, "Concurrency levels")->delimiter(',');
}

}  // namespace tiny::cli
