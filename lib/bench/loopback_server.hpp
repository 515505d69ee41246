#pragma once
// A small HTTP/1.1 server bound to 127.0.0.1 only, for tests and `tiny bench ingest`: a handler
// answers each GET with a status, headers and body, or with a fault (connection reset, a stalled
// body, a truncated body). It stops itself after a request count or a lifetime, whichever first.
#include "core/stopwatch.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tiny::bench {

struct HttpRequest {
  std::string method, path;
  std::map<std::string, std::string> headers;  // names lower-cased
};

struct HttpResponse {
  enum class Fault { none, reset, stall, truncate };
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is added
  Fault fault = Fault::none;
  double stall_seconds = 0;  // Fault::stall: send half the body, then wait this long before the rest
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class LoopbackServer {
public:
  // Listens on 127.0.0.1 at a free port; serves at most `max_requests` requests for at most
  // `lifetime_seconds`, then closes. Throws Error if it cannot listen.
  LoopbackServer(HttpHandler handler, size_t max_requests, double lifetime_seconds);
  // Stops accepting, closes every connection and joins the threads.
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // "http://127.0.0.1:PORT".
  std::string base_url() const;
  // Copies of the requests received so far, in arrival order.
  std::vector<HttpRequest> log() const;

private:
  void accept_loop();
  void serve(int fd);
  bool stopping() const;

  HttpHandler handler_;
  size_t max_requests_;
  double lifetime_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> served_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<HttpRequest> log_;
  Stopwatch running_;  // since construction
};

}  // namespace tiny::bench
