#include "core/file_io.hpp"
#include "net/fetch.hpp"
#include "bench/loopback_server.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <map>

using namespace tiny;
using namespace tiny::net;
using bench::HttpRequest;
using bench::HttpResponse;
using bench::LoopbackServer;

namespace {

// Serves the fault named by each path; "/flaky" fails twice with 429 then answers.
HttpResponse fault_handler(const HttpRequest& r, std::atomic<int>& flaky) {
  HttpResponse resp;
  resp.body = "image-bytes:" + r.path;
  if (r.path == "/404") resp.status = 404;
  else if (r.path == "/500") resp.status = 500;
  else if (r.path == "/flaky" && flaky++ < 2) {
    resp.status = 429;
    resp.headers.push_back({"Retry-After", "0"});
  }
  else if (r.path == "/reset") resp.fault = HttpResponse::Fault::reset;
  else if (r.path == "/slow") {
    resp.fault = HttpResponse::Fault::stall;
    resp.stall_seconds = 3;
  } else if (r.path == "/truncated") resp.fault = HttpResponse::Fault::truncate;
  else if (r.path == "/big") resp.body = std::string(5000, 'x');
  else if (r.path == "/loop") {
    resp.status = 302;
    resp.headers.push_back({"Location", "/loop"});
  } else if (r.path == "/to-file") {
    resp.status = 302;
    resp.headers.push_back({"Location", "file:///etc/hostname"});
  } else if (r.path == "/noai") resp.headers.push_back({"X-Robots-Tag", "noindex, noai"});
  else if (r.path == "/other-agent") resp.headers.push_back({"X-Robots-Tag", "googlebot: noai"});
  return resp;
}

std::map<uint64_t, FetchResult> fetch_all(FetchOptions o, const std::vector<std::string>& urls) {
  Fetcher f(o);
  for (size_t i = 0; i < urls.size(); ++i) f.add(i, urls[i]);
  std::vector<FetchResult> out;
  while (f.pending() > 0) f.poll(out);
  std::map<uint64_t, FetchResult> by_id;
  for (auto& r : out) {
    CHECK(by_id.count(r.id) == 0);
    by_id[r.id] = std::move(r);
  }
  return by_id;
}

}  // namespace

TEST_CASE("fetch: every fault ends in exactly one outcome with the right reason") {
  std::atomic<int> flaky{0};
  LoopbackServer server([&](const HttpRequest& r) { return fault_handler(r, flaky); }, 1000, 60);
  test::TempDir dir;
  write_file_atomic(dir.file("local.jpg"), std::string_view("local-bytes"), false);
  FetchOptions o;
  o.retries = 2;
  o.backoff = 0.01;
  o.timeout = 1.0;
  o.max_bytes = 1000;
  o.concurrency = 8;
  std::string b = server.base_url();
  std::vector<std::string> urls = {b + "/ok",        b + "/404",   b + "/500",       b + "/flaky",
                                   b + "/reset",     b + "/slow",  b + "/truncated", b + "/big",
                                   b + "/loop",      b + "/noai",  b + "/other-agent", b + "/to-file",
                                   "file://" + dir.file("local.jpg"), "file://" + dir.file("missing.jpg")};
  auto r = fetch_all(o, urls);
  REQUIRE(r.size() == urls.size());
  CHECK(r[0].reason == "");
  CHECK(std::string(r[0].body.begin(), r[0].body.end()) == "image-bytes:/ok");
  CHECK(r[0].attempts == 1);
  CHECK(r[1].reason == "http_404");
  CHECK(r[1].attempts == 1);
  CHECK(r[2].reason == "http_500");
  CHECK(r[2].attempts == 3);
  CHECK(r[3].reason == "");
  CHECK(r[3].attempts == 3);
  CHECK(r[4].reason == "connection");
  CHECK(r[4].attempts == 3);
  CHECK(r[5].reason == "timeout");
  CHECK(r[6].reason == "truncated");
  CHECK(r[7].reason == "too_large");
  CHECK(r[8].reason == "redirects");
  CHECK(r[9].reason == "opt_out");
  CHECK(r[10].reason == "");
  CHECK(r[11].reason == "scheme");
  CHECK(r[12].reason == "");
  CHECK(std::string(r[12].body.begin(), r[12].body.end()) == "local-bytes");
  CHECK(r[13].reason == "not_found");
  for (auto& [id, res] : r)
    if (!res.reason.empty()) CHECK(res.body.empty());
  // Retried exactly as often as the attempts say; permanent failures asked once.
  std::map<std::string, int> asked;
  for (const auto& req : server.log()) ++asked[req.path];
  CHECK(asked["/ok"] == 1);
  CHECK(asked["/404"] == 1);
  CHECK(asked["/500"] == 3);
  CHECK(asked["/flaky"] == 3);
  CHECK(asked["/noai"] == 1);
  CHECK(asked["/big"] == 1);
}

TEST_CASE("fetch: unsupported schemes fail per URL without a request") {
  FetchOptions o;
  auto r = fetch_all(o, {"ftp://127.0.0.1/x.jpg", "gopher://127.0.0.1/x"});
  CHECK(r[0].reason == "scheme");
  CHECK(r[1].reason == "scheme");
}

TEST_CASE("fetch: opt-out headers can be ignored by configuration") {
  std::atomic<int> flaky{0};
  LoopbackServer server([&](const HttpRequest& r) { return fault_handler(r, flaky); }, 100, 30);
  FetchOptions o;
  o.opt_out.clear();
  auto r = fetch_all(o, {server.base_url() + "/noai"});
  CHECK(r[0].reason == "");
  CHECK(robots_opt_out(" noimageai", {"noai", "noimageai"}));
  CHECK(robots_opt_out("tiny: noai", {"noai"}));
  CHECK(!robots_opt_out("otherbot: noai", {"noai"}));
  CHECK(!robots_opt_out("noindex, nofollow", {"noai"}));
  CHECK(retry_after_seconds(" 7\r\n") == 7);
  CHECK(retry_after_seconds("100000") == 300);
  CHECK(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == -1);
  CHECK(retry_after_seconds("") == -1);
}

TEST_CASE("fetch: a Retry-After beyond the cap waits only the cap, and retry delays follow the documented rule") {
  FetchOptions o;
  o.backoff = 0.5;
  o.max_retry_after = 30;
  CHECK(retry_delay_seconds(o, 1, 1.0, -1) == 0.5);
  CHECK(retry_delay_seconds(o, 3, 0.5, -1) == 1.0);
  CHECK(retry_delay_seconds(o, 1, 1.0, 7) == 7);
  CHECK(retry_delay_seconds(o, 1, 1.0, 999) == 30);
  o.max_retry_after = 0;
  CHECK(retry_delay_seconds(o, 2, 1.5, 300) == 0);
  // End to end: a host answering 429 with Retry-After: 999 is retried at once under a zero cap,
  // while another host's download completes beside it.
  std::atomic<int> calls{0};
  LoopbackServer server(
      [&](const HttpRequest& r) {
        HttpResponse resp;
        resp.body = "ok";
        if (r.path == "/busy" && calls++ == 0) {
          resp.status = 429;
          resp.headers.push_back({"Retry-After", "999"});
        }
        return resp;
      },
      100, 60);
  o.retries = 1;
  auto r = fetch_all(o, {server.base_url() + "/busy", server.base_url() + "/other"});
  CHECK(r[0].reason == "");
  CHECK(r[0].attempts == 2);
  CHECK(r[1].reason == "");
}

TEST_CASE("fetch: many concurrent transfers all complete, each once, with a user agent") {
  LoopbackServer server(
      [](const HttpRequest& r) {
        HttpResponse resp;
        resp.body = r.path;
        return resp;
      },
      1000, 60);
  FetchOptions o;
  o.concurrency = 16;
  o.per_host = 4;
  o.user_agent = "tiny-test-agent";
  std::vector<std::string> urls;
  for (int i = 0; i < 200; ++i) urls.push_back(server.base_url() + "/img/" + std::to_string(i));
  auto r = fetch_all(o, urls);
  REQUIRE(r.size() == 200);
  for (size_t i = 0; i < 200; ++i) {
    CHECK(r[i].reason == "");
    CHECK(std::string(r[i].body.begin(), r[i].body.end()) == "/img/" + std::to_string(i));
  }
  auto log = server.log();
  REQUIRE(!log.empty());
  CHECK(log[0].headers["user-agent"] == "tiny-test-agent");
}

TEST_CASE("fetch: s3 URLs go path-style to the endpoint, signed with SigV4 when keys are set") {
  LoopbackServer server([](const HttpRequest&) { return HttpResponse{}; }, 10, 30);
  FetchOptions o;
  o.s3_endpoint = server.base_url() + "/";
  o.s3_region = "eu-west-1";
  CHECK(s3_http_url("s3://bucket/a/b.jpg", FetchOptions{}) == "https://bucket.s3.us-east-1.amazonaws.com/a/b.jpg");
  setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  auto r = fetch_all(o, {"s3://bucket/a/b.jpg"});
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  CHECK(r[0].reason == "");
  auto log = server.log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].path == "/bucket/a/b.jpg");
  CHECK(log[0].headers["authorization"].rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0) == 0);
  CHECK(log[0].headers["authorization"].find("/eu-west-1/s3/aws4_request") != std::string::npos);
  CHECK(log[0].headers.count("x-amz-date") == 1);
}
