#pragma once
// Running other programs through /bin/sh and reading what they print.
#include <string>

namespace tiny {

// One argument quoted for /bin/sh ('…', with any ' inside written as '\'').
std::string shell_quote(const std::string& arg);

struct CommandResult {
  int exit_code = -1;  // -1 if the command did not exit normally (killed by a signal)
  std::string out;     // everything it wrote to stdout
};
// Runs a /bin/sh command line, its stderr left as the caller's; throws Error if no shell can be started.
CommandResult run_command(const std::string& command);

}  // namespace tiny
