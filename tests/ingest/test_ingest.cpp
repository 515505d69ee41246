#include "core/error.hpp"
#include "core/json_file.hpp"
#include "ingest/ingest.hpp"
#include "shards/webdataset.hpp"
#include "ingest_fixtures.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace tiny;
using namespace tiny::ingest;
using namespace tiny::shards;
using bench::HttpRequest;
using bench::HttpResponse;
using bench::LoopbackServer;
namespace fs = std::filesystem;

namespace {

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

IngestOptions fast_options(const std::string& list, const std::string& out) {
  IngestOptions o;
  o.inputs = {list};
  o.output = out;
  o.shard_size = 4;
  o.fetch.retries = 2;
  o.fetch.backoff = 0.01;
  o.fetch.timeout = 1.0;
  o.fetch.max_bytes = 200000;
  o.fetch.concurrency = 8;
  o.process.size = 32;
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("ingest: every sample ends in exactly one recorded outcome") {
  std::atomic<int> flaky{0};
  LoopbackServer server([&](const HttpRequest& r) { return test::ingest_fault_response(r, flaky); }, 2000, 120);
  test::TempDir dir;
  std::string b = server.base_url();
  std::string csv = "url,caption,source\n";
  std::vector<std::string> paths = {"/img/0", "/404", "/500", "/flaky", "/reset", "/slow", "/truncated",
                                    "/html", "/big", "/loop", "/noai", "/img/1"};
  for (size_t i = 0; i < paths.size(); ++i) csv += fmt::format("{}{},cap {},src{}\n", b, paths[i], i, i);
  csv += "ftp://127.0.0.1/x.jpg,ftp,x\n\"unterminated\n";
  write_file_atomic(dir.file("list.csv"), csv, false);
  IngestSummary s = run_ingest(fast_options(dir.file("list.csv"), dir.file("out")));
  CHECK(s.samples == 14);
  size_t failed = 0;
  for (const auto& [reason, n] : s.failures) failed += n;
  CHECK(s.successes + failed == s.samples);
  CHECK(s.successes == 3);  // img/0, flaky after retries, img/1
  std::map<std::string, size_t> expected = {{"http_404", 1}, {"http_500", 1}, {"connection", 1}, {"timeout", 1},
                                            {"truncated", 1}, {"decode", 1},  {"too_large", 1},  {"redirects", 1},
                                            {"opt_out", 1},  {"scheme", 1},  {"bad_input", 1}};
  CHECK(s.failures == expected);
  auto samples = test::read_output(dir.file("out"));
  REQUIRE(samples.size() == 3);
  REQUIRE(samples.count("000000000"));
  CHECK(text(samples["000000000"]["txt"]) == "cap 0");
  Json j = parse_json(text(samples["000000000"]["json"]), "json");
  CHECK(j["source"] == "src0");
  CHECK(j["url"] == b + "/img/0");
  CHECK(j["status"] == "success");
  CHECK(j["width"].get<int>() >= 32);
  CHECK(j.contains("content_hash"));
  CHECK(samples.count("000000003"));  // flaky
  // Stats list each failure with its key; all shards have stats; the summary was written.
  size_t listed = 0;
  for (int shard = 0; shard < 4; ++shard) {
    Json stats = read_json_file(dir.file(fmt::format("out/{:05d}_stats.json", shard)));
    listed += stats["failed"].size();
    CHECK(stats["samples"].get<size_t>() == (shard < 3 ? 4u : 2u));
  }
  CHECK(listed == failed);
  CHECK(fs::exists(dir.file("out/summary.json")));
}

TEST_CASE("ingest: split runs write disjoint shards whose union is the single run") {
  LoopbackServer server(
      [](const HttpRequest& r) {
        std::atomic<int> unused{0};
        return test::ingest_fault_response(r, unused);
      },
      2000, 120);
  test::TempDir dir;
  std::string list;
  for (int i = 0; i < 23; ++i) list += fmt::format("{}/img/{}\n", server.base_url(), i);
  write_file_atomic(dir.file("urls.txt"), list, false);
  run_ingest(fast_options(dir.file("urls.txt"), dir.file("all")));
  std::map<std::string, std::map<std::string, Bytes>> merged;
  std::set<std::string> names;
  for (size_t k = 0; k < 3; ++k) {
    IngestOptions o = fast_options(dir.file("urls.txt"), dir.file("part"));
    o.shard_index = k;
    o.num_shards = 3;
    run_ingest(o);
  }
  for (const auto& e : fs::directory_iterator(dir.file("part"))) names.insert(e.path().filename().string());
  CHECK(names.count("summary_0_of_3.json"));
  CHECK(names.count("summary_2_of_3.json"));
  CHECK(names.count("00005.tar"));
  CHECK(test::read_output(dir.file("part")) == test::read_output(dir.file("all")));
  CHECK(read_file(dir.file("part/00004.tar")) == read_file(dir.file("all/00004.tar")));  // byte-identical
  CHECK(test::read_output(dir.file("all")).size() == 23);
}

TEST_CASE("ingest: resume skips complete shards and redoes incomplete ones") {
  test::TempDir dir;
  fs::create_directories(dir.file("imgs"));
  for (int i = 0; i < 10; ++i) write_file_atomic(dir.file(fmt::format("imgs/{:02d}.jpg", i)), test::numbered_jpeg(i), false);
  write_file_atomic(dir.file("imgs/03.txt"), std::string_view("three"), false);
  IngestOptions o = fast_options(dir.file("imgs"), dir.file("out"));
  run_ingest(o);
  auto full = test::read_output(dir.file("out"));
  REQUIRE(full.size() == 10);
  CHECK(text(full["000000003"]["txt"]) == "three");
  // Shard 1 interrupted: stats missing, tar damaged, a temporary file left behind.
  fs::remove(dir.file("out/00001_stats.json"));
  write_file_atomic(dir.file("out/00001.tar"), std::string_view("partial"), true);
  write_file_atomic(dir.file("out/.00002.tar.tmp-abcdef"), std::string_view("partial"), false);
  fs::remove(dir.file("out/00002_stats.json"));
  CHECK_THROWS_AS(run_ingest(o), UsageError);  // not without --resume
  o.resume = true;
  IngestSummary s = run_ingest(o);
  CHECK(s.shards_skipped == 1);
  CHECK(s.shards_written == 2);
  CHECK(!fs::exists(dir.file("out/.00002.tar.tmp-abcdef")));
  CHECK(test::read_output(dir.file("out")) == full);
}

TEST_CASE("ingest: tar shards are re-sharded, hostile members refused, duplicates dropped") {
  test::TempDir dir;
  fs::create_directories(dir.file("in"));
  for (int shard = 0; shard < 2; ++shard) {
    ShardWriter w(dir.file(fmt::format("in/data-{:02d}.tar", shard)), false);
    for (int i = 0; i < 3; ++i) {
      Sample s;
      s.key = fmt::format("s{}_{}", shard, i);
      s.files["jpg"] = test::numbered_jpeg(shard == 1 && i == 2 ? 0 : shard * 3 + i);  // last one repeats the first
      s.files["txt"] = Bytes{'c'};
      std::string meta = fmt::format("{{\"orig\":{}}}", i);
      s.files["json"] = Bytes(meta.begin(), meta.end());
      w.add(s);
    }
    Sample evil{"../evil", {{"jpg", test::numbered_jpeg(1)}}};
    w.add(evil);
    w.commit();
  }
  IngestOptions o = fast_options(dir.file("in/data-{00..01}.tar"), dir.file("out"));
  o.dedup = true;
  o.dedup_threshold = 0;
  o.process.resize = ResizeMode::no;
  o.process.format = OutputFormat::png;
  IngestSummary s = run_ingest(o);
  CHECK(s.samples == 6);
  CHECK(s.tar_members_rejected == 2);
  CHECK(s.successes == 5);
  CHECK(s.failures["duplicate"] == 1);
  auto out = test::read_output(dir.file("out"));
  CHECK(out.size() == 5);
  CHECK(out["000000000"].count("png"));
  Json j = parse_json(text(out["000000001"]["json"]), "json");
  CHECK(j["orig"] == 1);
  CHECK(j["url"].get<std::string>().find("data-00.tar#s0_1") != std::string::npos);
}

TEST_CASE("ingest: bad options and inputs fail before any output") {
  test::TempDir dir;
  IngestOptions o = fast_options(dir.file("missing.txt"), dir.file("out"));
  CHECK_THROWS_AS(run_ingest(o), UsageError);
  CHECK(!fs::exists(dir.file("out")));
  write_file_atomic(dir.file("l.csv"), std::string_view("link\nhttp://x\n"), false);
  o.inputs = {dir.file("l.csv")};
  CHECK_THROWS_WITH_AS(run_ingest(o), doctest::Contains("no 'url' column"), UsageError);
  o.inputs = {"ftp://127.0.0.1/data-{0..3}.tar"};
  CHECK_THROWS_AS(run_ingest(o), UsageError);
  o.inputs = {dir.file("l.csv")};
  o.shard_index = 2;
  o.num_shards = 2;
  CHECK_THROWS_AS(run_ingest(o), UsageError);
}

TEST_CASE("ingest: remote tar shards are downloaded into memory and read in place") {
  test::TempDir dir;
  std::vector<std::string> tars;
  for (int shard = 0; shard < 2; ++shard) {
    std::string path = dir.file(fmt::format("t{}.tar", shard));
    ShardWriter w(path, false);
    for (int i = 0; i < 2; ++i) w.add(Sample{fmt::format("k{}", i), {{"jpg", test::numbered_jpeg(shard * 2 + i)}}});
    w.commit();
    Bytes b = read_file(path);
    tars.emplace_back(b.begin(), b.end());
  }
  LoopbackServer server(
      [&](const HttpRequest& r) {
        HttpResponse resp;
        if (r.path == "/data-0.tar") resp.body = tars[0];
        else if (r.path == "/data-1.tar") resp.body = tars[1];
        else resp.status = 404;
        return resp;
      },
      100, 60);
  IngestOptions o = fast_options(server.base_url() + "/data-{0..1}.tar", dir.file("out"));
  IngestSummary s = run_ingest(o);
  CHECK(s.successes == 4);
  auto out = test::read_output(dir.file("out"));
  REQUIRE(out.size() == 4);
  CHECK(parse_json(text(out["000000003"]["json"]), "j")["url"] == server.base_url() + "/data-1.tar#k1");
  o.inputs = {server.base_url() + "/missing-{0..1}.tar", server.base_url() + "/data-1.tar"};
  o.output = dir.file("out2");
  IngestSummary missing = run_ingest(o);  // a shard that cannot be downloaded is that shard's problem only
  REQUIRE(missing.input_errors.size() == 2);
  CHECK(missing.input_errors[0].find("missing-0.tar") != std::string::npos);
  CHECK(missing.successes == 2);
}

TEST_CASE("ingest: a damaged tar shard keeps its samples before the damage, the next shard is read, the run says so") {
  test::TempDir dir;
  fs::create_directories(dir.file("in"));
  for (int shard = 0; shard < 2; ++shard) {
    ShardWriter w(dir.file(fmt::format("in/d-{}.tar", shard)), false);
    for (int i = 0; i < 4; ++i) w.add(Sample{fmt::format("k{}", i), {{"jpg", test::numbered_jpeg(shard * 4 + i)}}});
    w.commit();
  }
  Bytes whole = read_file(dir.file("in/d-0.tar"));
  Bytes cut(whole.begin(), whole.begin() + long(whole.size()) * 3 / 5);  // inside the third or fourth sample
  write_file_atomic(dir.file("in/d-0.tar"), cut, true);
  IngestOptions o = fast_options(dir.file("in/d-{0..1}.tar"), dir.file("out"));
  o.shard_size = 100;
  IngestSummary s = run_ingest(o);
  REQUIRE(s.input_errors.size() == 1);
  CHECK(s.input_errors[0].find("d-0.tar") != std::string::npos);
  CHECK(s.successes >= 6);  // at least k0 and k1 of the damaged shard, and all four of the next
  CHECK(s.successes < 8);
  auto out = test::read_output(dir.file("out"));
  CHECK(out.size() == s.successes);
  Json summary = read_json_file(dir.file("out/summary.json"));
  CHECK(summary["input_errors"].size() == 1);
}

TEST_CASE("ingest: resume redoes a truncated shard even with its stats, clears stale temporaries, sums every shard") {
  test::TempDir dir;
  fs::create_directories(dir.file("imgs"));
  for (int i = 0; i < 12; ++i) write_file_atomic(dir.file(fmt::format("imgs/{:02d}.jpg", i)), test::numbered_jpeg(i), false);
  IngestOptions o = fast_options(dir.file("imgs"), dir.file("out"));
  IngestSummary first = run_ingest(o);
  REQUIRE(first.successes == 12);
  auto full = test::read_output(dir.file("out"));
  Bytes tar = read_file(dir.file("out/00001.tar"));
  write_file_atomic(dir.file("out/00001.tar"), Bytes(tar.begin(), tar.begin() + long(tar.size()) / 2), true);
  write_file_atomic(dir.file("out/.00000_stats.json.tmp-abcdef"), std::string_view("{"), false);
  write_file_atomic(dir.file("out/.00002.tar.tmp-123456"), std::string_view("x"), false);
  o.resume = true;
  IngestSummary s = run_ingest(o);
  CHECK(s.shards_skipped == 2);
  CHECK(s.shards_written == 1);
  CHECK(s.samples == 12);  // the skipped shards are counted from their stats
  CHECK(s.successes == 12);
  CHECK(read_json_file(dir.file("out/summary.json"))["successes"] == 12);
  CHECK(!fs::exists(dir.file("out/.00000_stats.json.tmp-abcdef")));
  CHECK(!fs::exists(dir.file("out/.00002.tar.tmp-123456")));
  CHECK(test::read_output(dir.file("out")) == full);
}
