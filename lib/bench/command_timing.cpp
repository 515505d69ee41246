#include "bench/command_timing.hpp"

#include "core/error.hpp"
#include "core/stopwatch.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace tiny::bench {
namespace {

struct Run {
  double ms = 0;
  double cpu_ms = 0;
  double peak_mb = 0;
  int exit_code = -1;
};

Run run_once(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const Stopwatch start;
  const pid_t pid = fork();
  if (pid < 0) throw Error("cannot start " + argv[0] + ": " + errno_text());
  if (pid == 0) {
    const int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) throw Error("waiting for " + argv[0] + ": " + errno_text());
  Run r;
  r.ms = start.milliseconds();
  r.cpu_ms = 1e3 * double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
             1e-3 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  r.peak_mb = usage.ru_maxrss / 1024.0;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (r.exit_code == 127) throw Error("cannot start " + argv[0] + " (not found or not executable)");
  return r;
}

}  // namespace

CommandTiming time_command(const std::vector<std::string>& argv, int runs) {
  if (argv.empty() || runs < 1) throw UsageError("time_command needs a program and at least one run");
  std::vector<double> ms, cpu_ms;
  CommandTiming t;
  for (int i = 0; i < runs; ++i) {
    Run r = run_once(argv);
    ms.push_back(r.ms);
    cpu_ms.push_back(r.cpu_ms);
    t.peak_mb = std::max(t.peak_mb, r.peak_mb);
    t.exit_code = r.exit_code;
  }
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms[ms.size() / 2];
  t.min_ms = ms.front();
  std::sort(cpu_ms.begin(), cpu_ms.end());
  t.cpu_ms = cpu_ms[cpu_ms.size() / 2];
  return t;
}

}  // namespace tiny::bench
