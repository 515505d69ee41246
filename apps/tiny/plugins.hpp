#pragma once
// The command plugins beside the binary, each loaded with dlopen only when the command line needs it
// (ELF has no lazy loading of linked libraries: whatever the binary links is mapped at start):
//   libtiny_commands.so        the commands and services that run a network (libtiny_models, libtorch)
//   libtiny_video_commands.so  frames, bench frames and tiny info's video probe (libtiny_video, FFmpeg)
#include "cli.hpp"

namespace tiny::cli {

struct NeededPlugins {
  bool models = false, video = false;
};

// The plugins whose commands argv names: none for a command the binary itself has or --version, one
// for a plugin's command, every one for help (which lists every command) or an unknown word.
NeededPlugins needed_plugins(CLI::App& root, int argc, char** argv);
// Loads `file` from the folder of the running binary and returns what its extern "C" function
// `entry` returns; throws Error naming the file when it cannot be loaded.
const void* load_plugin(const char* file, const char* entry);

}  // namespace tiny::cli
