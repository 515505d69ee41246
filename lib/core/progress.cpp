#include "core/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace tiny {
namespace {
std::atomic<bool> g_enabled{true};
constexpr double kTtyInterval = 0.1;    // seconds between live redraws
constexpr double kPlainInterval = 10.0; // seconds between plain lines
}  // namespace

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }

std::string format_duration(double s) {
  if (s < 60) return fmt::format("{:.1f}s", s);
  auto t = static_cast<long>(s);
  if (t < 3600) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
}

Progress::Progress(std::string label, uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total),
      tty_(isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() { finish(); }

void Progress::set_status(std::string status) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_ = std::move(status);
}

void Progress::advance(uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += n;
  if (since_draw_.seconds() >= (tty_ ? kTtyInterval : kPlainInterval)) {
    since_draw_.restart();
    draw(false);
  }
}

void Progress::add_total(uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ += n;
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (shown_) draw(true);
}

void Progress::draw(bool final) {
  if (!g_enabled) return;
  double elapsed = since_start_.seconds();
  double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  std::string counts = total_ ? fmt::format("{}/{} {}", done_, total_, unit_) : fmt::format("{} {}", done_, unit_);
  std::string eta;
  if (!final && total_ && rate > 0 && done_ < total_) eta = " ETA " + format_duration((total_ - done_) / rate);
  std::string tail = fmt::format("{} {:.1f} {}/s {}{}{}", counts, rate, unit_, format_duration(elapsed), eta,
                                 status_.empty() ? "" : "  " + status_);
  if (tty_) {
    std::string bar;
    if (total_) {
      constexpr int width = 24;
      int filled = static_cast<int>(width * std::min<double>(1.0, double(done_) / total_));
      bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    }
    std::fprintf(stderr, "\r\033[K%s %s%s%s", label_.c_str(), bar.c_str(), tail.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "tiny: %s %s\n", label_.c_str(), tail.c_str());
  }
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace tiny
