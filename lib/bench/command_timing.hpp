#pragma once
// Timing whole programs: how long a command takes from start to exit and how much memory it peaks at,
// for the benches that compare tiny as a command with another tool.
#include <string>
#include <vector>

namespace tiny::bench {

struct CommandTiming {
  double median_ms = 0;  // wall-clock time from fork to exit, median of the runs
  double min_ms = 0;     // the fastest run
  double cpu_ms = 0;     // user + system CPU time of the process, median of the runs
  double peak_mb = 0;    // the largest peak resident set of any run (MiB)
  int exit_code = 0;     // of the last run (-1 when killed by a signal)
};

// Runs `argv` (argv[0] found on PATH when it has no '/') `runs` times, stdout and stderr to /dev/null,
// one at a time; throws Error when it cannot be started.
CommandTiming time_command(const std::vector<std::string>& argv, int runs);

}  // namespace tiny::bench
