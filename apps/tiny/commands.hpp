#pragma once
// One registration function per subcommand; main() calls each. A subcommand is registered only
// when it really works.
#include "cli.hpp"

namespace tiny::cli {

void register_info(Cli& cli);
void register_compress(Cli& cli);
void register_decompress(Cli& cli);

}  // namespace tiny::cli
