#include "net/fetch.hpp"

#include "core/error.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace tiny::net {

struct Fetcher::Transfer {
  uint64_t id = 0;
  std::string url;
  Bytes body;
  int attempt = 0;
  bool too_large = false, opted_out = false;
  double retry_after = -1;
  uint64_t max_bytes = 0;
  const std::vector<std::string>* opt_out = nullptr;
  CURL* easy = nullptr;
};

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Fetcher::Transfer*>(user);
  size_t bytes = size * n;
  if (t->opted_out) return 0;
  if (t->body.size() + bytes > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  t->body.insert(t->body.end(), data, data + bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Fetcher::Transfer*>(user);
  size_t bytes = size * n;
  std::string line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect)
    t->opted_out = false;
    t->retry_after = -1;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos && lower(line.substr(0, colon)) == "retry-after")
    t->retry_after = retry_after_seconds(line.substr(colon + 1));
  if (colon != std::string::npos && !t->opt_out->empty() && lower(line.substr(0, colon)) == "x-robots-tag")
    t->opted_out = t->opted_out || robots_opt_out(line.substr(colon + 1), *t->opt_out);
  return bytes;
}

// A failure reason from curl's result code.
std::string curl_reason(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return "timeout";
    case CURLE_TOO_MANY_REDIRECTS: return "redirects";
    case CURLE_PARTIAL_FILE: return "truncated";
    case CURLE_FILESIZE_EXCEEDED: return "too_large";
    case CURLE_UNSUPPORTED_PROTOCOL: return "scheme";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return "dns";
    case CURLE_FILE_COULDNT_READ_FILE: return "not_found";
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING: return "connection";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR: return "tls";
    default: return "network";
  }
}

void check(CURLcode code, const char* what) {
  if (code != CURLE_OK) throw Error(fmt::format("libcurl: {}: {}", what, curl_easy_strerror(code)));
}

}  // namespace

bool retryable(const std::string& reason, long status) {
  if (reason == "timeout" || reason == "connection" || reason == "truncated") return true;
  return reason.rfind("http_", 0) == 0 && (status == 429 || status >= 500);
}

double retry_after_seconds(const std::string& value) {
  size_t b = value.find_first_not_of(" \t"), e = value.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return -1;
  std::string v = value.substr(b, e - b + 1);
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::min(300.0, double(std::stoul(v)));
}

double retry_delay_seconds(const FetchOptions& options, int attempt, double jitter, double retry_after) {
  double backoff = options.backoff * double(1u << std::min(std::max(attempt, 1) - 1, 16)) * jitter;
  return std::min(std::max(backoff, retry_after), std::max(options.max_retry_after, 0.0));
}

bool robots_opt_out(const std::string& value, const std::vector<std::string>& opt_out) {
  std::string v = lower(value);
  // "googlebot: noindex" names one agent; only ours or none counts.
  size_t colon = v.find(':');
  if (colon != std::string::npos) {
    std::string agent = v.substr(0, colon);
    agent.erase(std::remove_if(agent.begin(), agent.end(), ::isspace), agent.end());
    if (agent != "tiny" && agent != "*" && agent.find(',') == std::string::npos) return false;
    if (agent.find(',') == std::string::npos) v = v.substr(colon + 1);
  }
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find_first_of(",;", start);
    if (end == std::string::npos) end = v.size();
    std::string token = v.substr(start, end - start);
    token.erase(std::remove_if(token.begin(), token.end(), ::isspace), token.end());
    for (const auto& o : opt_out)
      if (token == lower(o)) return true;
    start = end + 1;
  }
  return false;
}

std::string s3_http_url(const std::string& url, const FetchOptions& options) {
  std::string rest = url.substr(5);  // after "s3://"
  size_t slash = rest.find('/');
  std::string bucket = rest.substr(0, slash), key = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (!options.s3_endpoint.empty()) {
    std::string endpoint = options.s3_endpoint;
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    return fmt::format("{}/{}/{}", endpoint, bucket, key);
  }
  return fmt::format("https://{}.s3.{}.amazonaws.com/{}", bucket, options.s3_region, key);
}

Fetcher::Fetcher(FetchOptions options) : options_(std::move(options)), rng_(options_.seed) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  check(global, "global init");
  multi_ = curl_multi_init();
  if (!multi_) throw Error("libcurl: cannot create a multi handle");
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, long(std::max(1, options_.per_host)));
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, long(std::max(1, options_.concurrency)));
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
}

Fetcher::~Fetcher() {
  for (Transfer* t : running_) {
    curl_multi_remove_handle(multi_, t->easy);
    curl_easy_cleanup(t->easy);
    delete t;
  }
  for (void* h : idle_handles_) curl_easy_cleanup(h);
  if (multi_) curl_multi_cleanup(multi_);
}

void Fetcher::add(uint64_t id, const std::string& url) {
  auto t = std::make_unique<Transfer>();
  t->id = id;
  t->url = url;
  queued_.push_back(std::move(t));
}

void Fetcher::start(std::unique_ptr<Transfer> t) {
  CURL* easy = nullptr;
  if (!idle_handles_.empty()) {
    easy = idle_handles_.back();
    idle_handles_.pop_back();
    curl_easy_reset(easy);
  } else {
    easy = curl_easy_init();
    if (!easy) throw Error("libcurl: cannot create a transfer");
  }
  ++t->attempt;
  t->body.clear();
  t->too_large = t->opted_out = false;
  t->retry_after = -1;
  t->max_bytes = options_.max_bytes;
  t->opt_out = &options_.opt_out;
  t->easy = easy;
  bool s3 = lower(t->url.substr(0, 5)) == "s3://";
  std::string url = s3 ? s3_http_url(t->url, options_) : t->url;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, long(options_.max_redirects));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(options_.connect_timeout * 1000));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(options_.timeout * 1000));
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options_.max_bytes));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(options_.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  if (s3) {
    const char* key = std::getenv("AWS_ACCESS_KEY_ID");
    const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
    if (key && secret) {
      std::string sigv4 = "aws:amz:" + options_.s3_region + ":s3";
      curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, sigv4.c_str());
      curl_easy_setopt(easy, CURLOPT_USERNAME, key);
      curl_easy_setopt(easy, CURLOPT_PASSWORD, secret);
    }
  }
  CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    curl_easy_cleanup(easy);
    throw Error(fmt::format("libcurl: cannot start a transfer: {}", curl_multi_strerror(rc)));
  }
  running_.insert(t.release());
}

void Fetcher::finish(Transfer* raw, int curl_code, std::vector<FetchResult>& out) {
  std::unique_ptr<Transfer> t(raw);
  CURL* easy = t->easy;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_multi_remove_handle(multi_, easy);
  idle_handles_.push_back(easy);
  running_.erase(raw);
  auto code = CURLcode(curl_code);
  FetchResult r;
  r.status = status;
  if (t->opted_out) {
    r.reason = "opt_out";
    r.error = "X-Robots-Tag opts out of AI use";
  } else if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
    r.reason = "too_large";
    r.error = fmt::format("body over {} bytes", options_.max_bytes);
  } else if (code != CURLE_OK) {
    r.reason = curl_reason(code);
    r.error = curl_easy_strerror(code);
  } else if (status != 0 && (status < 200 || status > 299)) {
    r.reason = fmt::format("http_{}", status);
    r.error = fmt::format("HTTP status {}", status);
  }
  if (!r.reason.empty() && retryable(r.reason, status) && t->attempt <= options_.retries) {
    double delay = retry_delay_seconds(options_, t->attempt, std::uniform_real_distribution<double>(0.5, 1.5)(rng_),
                                       t->retry_after);
    auto when = Clock::now() + std::chrono::microseconds(int64_t(delay * 1e6));
    auto pos = std::find_if(waiting_.begin(), waiting_.end(), [&](const auto& w) { return w.first > when; });
    waiting_.insert(pos, {when, std::move(t)});
    return;
  }
  r.id = t->id;
  r.url = std::move(t->url);
  r.attempts = t->attempt;
  if (r.reason.empty()) r.body = std::move(t->body);
  out.push_back(std::move(r));
}

void Fetcher::poll(std::vector<FetchResult>& out, int wait_ms) {
  auto now = Clock::now();
  while (!waiting_.empty() && waiting_.front().first <= now) {
    queued_.push_front(std::move(waiting_.front().second));
    waiting_.pop_front();
  }
  while (!queued_.empty() && running_.size() < size_t(std::max(1, options_.concurrency))) {
    std::unique_ptr<Transfer> t = std::move(queued_.front());
    queued_.pop_front();
    start(std::move(t));
  }
  if (running_.empty()) {
    if (!waiting_.empty()) {
      auto until = std::min(waiting_.front().first, now + std::chrono::milliseconds(wait_ms));
      std::this_thread::sleep_until(until);
    }
    return;
  }
  int running = 0;
  curl_multi_perform(multi_, &running);
  int msgs = 0;
  bool finished = false;
  while (CURLMsg* m = curl_multi_info_read(multi_, &msgs)) {
    if (m->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
    finish(t, m->data.result, out);
    finished = true;
  }
  if (!finished && running > 0) {
    int wait = wait_ms;
    if (!waiting_.empty())
      wait = int(std::clamp<int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(waiting_.front().first - now).count(), 0, wait_ms));
    curl_multi_poll(multi_, nullptr, 0, wait, nullptr);
  }
}

}  // namespace tiny::net
