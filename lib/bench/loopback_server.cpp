#include "bench/loopback_server.hpp"

#include "core/error.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace tiny::bench {
namespace {

const char* status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

// Parses "GET /p HTTP/1.1\r\nName: v\r\n..." (without the blank line).
bool parse_request(const std::string& head, HttpRequest& r) {
  size_t eol = head.find("\r\n");
  std::string first = head.substr(0, eol);
  size_t a = first.find(' '), b = first.rfind(' ');
  if (a == std::string::npos || b == a) return false;
  r.method = first.substr(0, a);
  r.path = first.substr(a + 1, b - a - 1);
  size_t pos = eol == std::string::npos ? head.size() : eol + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = end + 2;
  }
  return true;
}

}  // namespace

LoopbackServer::LoopbackServer(HttpHandler handler, size_t max_requests, double lifetime_seconds)
    : handler_(std::move(handler)), max_requests_(max_requests), lifetime_(lifetime_seconds) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw Error("loopback server: socket: " + errno_text());
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listen_fd_, 256) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string e = errno_text();
    ::close(listen_fd_);
    throw Error("loopback server: cannot listen on 127.0.0.1: " + e);
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() {
  stop_ = true;
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
  ::close(listen_fd_);
}

std::string LoopbackServer::base_url() const { return fmt::format("http://127.0.0.1:{}", port_); }

std::vector<HttpRequest> LoopbackServer::log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

bool LoopbackServer::stopping() const {
  return stop_ || served_ >= max_requests_ || running_.seconds() > lifetime_;
}

void LoopbackServer::accept_loop() {
  while (!stopping()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void LoopbackServer::serve(int fd) {
  std::string buffer;
  char chunk[16384];
  while (!stopping()) {
    size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (buffer.size() > 65536) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) break;
      buffer.append(chunk, size_t(n));
      continue;
    }
    HttpRequest request;
    bool ok = parse_request(buffer.substr(0, end), request);
    buffer.erase(0, end + 4);
    if (!ok) break;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (log_.size() < 100000) log_.push_back(request);
    }
    ++served_;
    HttpResponse r = handler_(request);
    if (r.fault == HttpResponse::Fault::reset) {
      linger l{1, 0};  // close with RST
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
      break;
    }
    std::string head = fmt::format("HTTP/1.1 {} {}\r\nContent-Length: {}\r\n", r.status, status_text(r.status),
                                   r.fault == HttpResponse::Fault::truncate ? r.body.size() * 2 : r.body.size());
    for (const auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
    head += "\r\n";
    size_t half = r.fault == HttpResponse::Fault::stall ? r.body.size() / 2 : r.body.size();
    if (!send_all(fd, head.data(), head.size()) || !send_all(fd, r.body.data(), half)) break;
    if (r.fault == HttpResponse::Fault::truncate) break;
    if (r.fault == HttpResponse::Fault::stall) {
      const Stopwatch stalled;
      while (!stop_ && stalled.seconds() < r.stall_seconds) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!send_all(fd, r.body.data() + half, r.body.size() - half)) break;
    }
    auto conn = request.headers.find("connection");
    if (conn != request.headers.end() && conn->second == "close") break;
  }
  ::close(fd);
}

}  // namespace tiny::bench
