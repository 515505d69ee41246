#pragma once
// Shared libraries loaded at run time (dlopen): the command plugins beside the binary, OpenCV's image
// codecs module beside libtiny.so, and system libraries only some commands need (librsvg for PNG plots).
#include <filesystem>
#include <string>

namespace tiny {

// The folder of the running executable (/proc/self/exe); empty if it cannot be read.
std::filesystem::path executable_folder();
// The folder of the shared library (or executable) whose code or data holds `address`; empty if unknown.
std::filesystem::path library_folder(const void* address);
// Loads the shared library at `path` (a file, or a system library's name such as "librsvg-2.so.2"; kept
// loaded until exit) and returns its symbol `symbol`; throws Error naming the library and `what` (e.g.
// "the plugin") when the library cannot be loaded or lacks the symbol.
void* load_symbol(const std::filesystem::path& path, const char* symbol, const std::string& what);
// Loads the shared library at `path` (kept loaded until exit) and returns what its extern "C" function
// `entry` (no arguments, returning a pointer) returns; throws Error naming the file and `what` (e.g.
// "the plugin") when the library cannot be loaded or has no such function.
const void* load_module_entry(const std::filesystem::path& path, const char* entry, const std::string& what);

}  // namespace tiny
