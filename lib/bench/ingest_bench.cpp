#include "bench/ingest_bench.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/memory_usage.hpp"
#include "core/scratch_dir.hpp"
#include "core/stopwatch.hpp"
#include "core/threads.hpp"
#include "image/decode.hpp"
#include "image/encode.hpp"
#include "image/load.hpp"
#include "net/fetch.hpp"
#include "ingest/ingest.hpp"
#include "bench/loopback_server.hpp"
#include "shards/keys.hpp"
#include "shards/webdataset.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace tiny::bench {
namespace {

constexpr int kSize = 256, kQuality = 90;

double peak_rss_mb() { return double(peak_memory_bytes()) / (1024.0 * 1024.0); }

// Kodak-size (768x512) JPEGs made from the first `count` photos under `folder`.
std::vector<std::string> kodak_size_jpegs(const std::string& folder, size_t count) {
  std::vector<std::string> paths;
  std::error_code ec;
  if (fs::is_directory(folder, ec))
    for (const auto& e : fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) {
      std::string ext = e.path().extension().string();
      std::string p = e.path().string();
      if (e.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".JPG") && p.find("kodak") == std::string::npos)
        paths.push_back(p);
    }
  if (paths.empty()) throw Error(file_error(folder, "no JPEG photos found (set --photos or TINY_DATA)"));
  std::sort(paths.begin(), paths.end());
  paths.resize(std::min(paths.size(), count));
  image::LoadSpec spec;
  spec.resize = 768;
  spec.crop = image::CropMode::center;
  spec.crop_width = 768;
  spec.crop_height = 512;
  spec.filter = image::Filter::area;
  std::vector<std::string> out;
  image::EncodeOptions e;
  e.quality = 90;
  for (const auto& p : paths) {
    Bytes b = image::encode_image(image::load_image(p, spec), image::Format::jpeg, e);
    out.emplace_back(b.begin(), b.end());
  }
  return out;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* b = static_cast<Bytes*>(user);
  b->insert(b->end(), data, data + size * n);
  return size * n;
}

// The naive path: one blocking transfer at a time, full decode, cv::resize, encode, tar.
double naive_images_per_s(const std::string& base, size_t urls, const std::string& out) {
  CURL* easy = curl_easy_init();
  if (!easy) throw Error("libcurl: cannot create a transfer");
  shards::ShardWriter writer(out, true);
  Stopwatch start;
  for (size_t i = 0; i < urls; ++i) {
    Bytes body;
    std::string url = fmt::format("{}/img/{}", base, i);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    if (curl_easy_perform(easy) != CURLE_OK) throw Error("bench ingest: naive download failed: " + url);
    image::Image img = image::decode_image(body, url);
    double scale = double(kSize) / std::min(img.width, img.height);
    cv::Mat src(img.height, img.width, CV_8UC3, img.pixels.data());
    image::Image small = image::Image::blank(std::max(1, int(img.width * scale)), std::max(1, int(img.height * scale)));
    cv::Mat dst(small.height, small.width, CV_8UC3, small.pixels.data());
    cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
    image::EncodeOptions e;
    e.quality = kQuality;
    shards::Sample s;
    s.key = shards::numbered_key(i);
    s.files["jpg"] = image::encode_image(small, image::Format::jpeg, e);
    s.files["json"] = Bytes{'{', '}'};
    writer.add(s);
  }
  writer.commit();
  double seconds = start.seconds();
  curl_easy_cleanup(easy);
  return double(urls) / seconds;
}

// Download only: the fetcher alone at `concurrency`, bodies dropped.
double fetch_images_per_s(const std::string& base, size_t urls, int concurrency) {
  net::FetchOptions f;
  f.concurrency = concurrency;
  net::Fetcher fetcher(f);
  for (size_t i = 0; i < urls; ++i) fetcher.add(i, fmt::format("{}/img/{}", base, i));
  std::vector<net::FetchResult> done;
  size_t ok = 0;
  Stopwatch start;
  while (fetcher.pending() > 0) {
    fetcher.poll(done, 20);
    for (const auto& r : done) ok += r.reason.empty();
    done.clear();
  }
  double seconds = start.seconds();
  if (ok != urls) throw Error(fmt::format("bench ingest: {} of {} downloads failed", urls - ok, urls));
  return double(urls) / seconds;
}

}  // namespace

Json run_ingest_bench(const IngestBenchOptions& options) {
  IngestBenchOptions o = options;
  if (o.quick) {
    o.urls = std::min<size_t>(o.urls, 400);
    o.baseline_urls = std::min<size_t>(o.baseline_urls, 150);
    o.concurrency = {16, 64};
  }
  std::vector<std::string> images = kodak_size_jpegs(o.photos, o.quick ? 8 : 24);
  size_t total_bytes = 0;
  for (const auto& b : images) total_bytes += b.size();
  size_t requests = o.urls * (o.concurrency.size() + 1) + o.baseline_urls + 100;
  LoopbackServer server(
      [&images](const HttpRequest& r) {
        HttpResponse resp;
        resp.body = images[size_t(std::atoi(r.path.c_str() + 5)) % images.size()];
        resp.headers.push_back({"Content-Type", "image/jpeg"});
        return resp;
      },
      requests, 3600);
  ScratchDir scratch("tiny-bench-ingest");
  std::string list;
  for (size_t i = 0; i < o.urls; ++i) list += fmt::format("{}/img/{}\n", server.base_url(), i);
  write_file_atomic(scratch.file("urls.txt"), list, true);
  int threads = o.threads > 0 ? o.threads : thread_count();

  Json results = Json::array();
  double best = 0;
  for (int c : o.concurrency) {
    ingest::IngestOptions run;
    run.inputs = {scratch.file("urls.txt")};
    run.output = scratch.file(fmt::format("out-{}", c));
    run.shard_size = 1000;
    run.fetch.concurrency = c;
    run.process.size = kSize;
    run.process.quality = kQuality;
    run.threads = threads;
    log::info("bench ingest: {} URLs at concurrency {}", o.urls, c);
    ingest::IngestSummary s = ingest::run_ingest(run);
    if (s.successes != o.urls) throw Error(fmt::format("bench ingest: {} of {} samples failed", o.urls - s.successes, o.urls));
    double rate = double(s.successes) / s.seconds;
    best = std::max(best, rate);
    results.push_back({{"method", "tiny"}, {"concurrency", c}, {"threads", threads}, {"images", s.successes},
                       {"seconds", s.seconds}, {"images_per_s", rate}, {"time", s.to_json()["time"]},
                       {"peak_rss_mb", peak_rss_mb()}});
    fs::remove_all(run.output);
  }
  int c = o.concurrency.back();
  log::info("bench ingest: download only at concurrency {}", c);
  double fetch_rate = fetch_images_per_s(server.base_url(), o.urls, c);
  log::info("bench ingest: naive sequential baseline, {} URLs", o.baseline_urls);
  double naive = naive_images_per_s(server.base_url(), o.baseline_urls, scratch.file("naive.tar"));
  return {{"benchmark", "ingest"},
          {"source_images", images.size()},
          {"source_size", "768x512"},
          {"mean_jpeg_bytes", total_bytes / images.size()},
          {"target", fmt::format("shorter side {} px, JPEG q{}", kSize, kQuality)},
          {"results", results},
          {"download_only", {{"concurrency", c}, {"images_per_s", fetch_rate}}},
          {"baseline", {{"method", "naive sequential (curl_easy, full decode, cv::resize, encode, tar)"},
                        {"images", o.baseline_urls}, {"images_per_s", naive}}},
          {"ratio", naive > 0 ? best / naive : 0.0},
          {"peak_rss_mb", peak_rss_mb()}};
}

}  // namespace tiny::bench
