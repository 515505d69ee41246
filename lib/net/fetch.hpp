#pragma once
// Concurrent downloads on libcurl's multi interface: many transfers at once on one thread, a cap
// per host, connect and total timeouts, retries with exponential backoff and jitter on 429, 5xx,
// timeouts and dropped connections, a body size cap, a redirect limit, HTTP/2 where the server
// offers it, and X-Robots-Tag opt-outs. s3:// URLs are signed with AWS SigV4 by libcurl.
#include "core/file_io.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tiny::net {

struct FetchOptions {
  int concurrency = 64;            // transfers in flight
  int per_host = 16;               // connections to one host
  double connect_timeout = 10;     // seconds to connect
  double timeout = 30;             // seconds for a whole transfer
  int retries = 2;                 // extra attempts on 429, 5xx, timeouts, resets and truncated bodies
  double backoff = 0.5;            // first retry delay in seconds, doubled each retry, times 0.5..1.5 jitter
                                   // (at least N when a response says Retry-After: N)
  double max_retry_after = 30;     // a Retry-After longer than this many seconds waits only this long
  uint64_t max_bytes = 32ull << 20;  // larger bodies fail with "too_large"
  int max_redirects = 5;
  std::string user_agent = "tiny-ingest/0.1";
  bool http2 = true;               // negotiate HTTP/2 over TLS when the server offers it
  std::vector<std::string> opt_out = {"noai", "noimageai"};  // X-Robots-Tag values that refuse (empty: ignore)
  std::string s3_endpoint;         // "" = https://BUCKET.s3.REGION.amazonaws.com/KEY; else ENDPOINT/BUCKET/KEY
  std::string s3_region = "us-east-1";
  uint64_t seed = 0;               // jitter generator seed
};

// One finished download: the body, or why there is none.
struct FetchResult {
  uint64_t id = 0;
  std::string url;
  Bytes body;
  long status = 0;     // HTTP status of the last response (0 for file://)
  std::string reason;  // "" on success; else e.g. "http_404", "timeout", "connection", "too_large", "opt_out"
  std::string error;   // a one-line description of the failure
  int attempts = 0;
};

// Whether a failure reason is worth another attempt.
bool retryable(const std::string& reason, long status);
// Parses an X-Robots-Tag header value; true if it names one of `opt_out` (for all agents or for "tiny").
bool robots_opt_out(const std::string& value, const std::vector<std::string>& opt_out);
// Seconds a Retry-After header value asks to wait (delta-seconds form, capped at 300), or -1.
double retry_after_seconds(const std::string& value);
// Seconds before retry number `attempt` (1, 2, ...): the backoff doubled per retry times `jitter`
// (0.5..1.5), or the server's Retry-After (-1: none) if longer, capped at options.max_retry_after.
double retry_delay_seconds(const FetchOptions& options, int attempt, double jitter, double retry_after);
// The https URL an s3://bucket/key URL is fetched from under `options`.
std::string s3_http_url(const std::string& url, const FetchOptions& options);

class Fetcher {
public:
  // Creates the multi handle; throws Error if libcurl cannot start.
  explicit Fetcher(FetchOptions options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues a download; its result comes back from poll() with the same id.
  void add(uint64_t id, const std::string& url);
  // Transfers queued, in flight or waiting to retry.
  size_t pending() const { return queued_.size() + running_.size() + waiting_.size(); }
  // Drives transfers for at most `wait_ms` milliseconds and appends the finished ones to `out`.
  void poll(std::vector<FetchResult>& out, int wait_ms = 50);

  struct Transfer;

private:
  using Clock = std::chrono::steady_clock;
  void start(std::unique_ptr<Transfer> t);
  void finish(Transfer* t, int curl_code, std::vector<FetchResult>& out);

  FetchOptions options_;
  void* multi_ = nullptr;
  std::deque<std::unique_ptr<Transfer>> queued_;
  std::deque<std::pair<Clock::time_point, std::unique_ptr<Transfer>>> waiting_;
  std::vector<void*> idle_handles_;
  std::set<Transfer*> running_;
  std::mt19937_64 rng_;
};

}  // namespace tiny::net
