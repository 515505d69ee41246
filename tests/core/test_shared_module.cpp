#include "core/error.hpp"
#include "core/shared_module.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace tiny;
namespace fs = std::filesystem;

namespace {

// The message of the Error that `f` throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("executable_folder and library_folder find the test binary's folder and libtiny_decoder's") {
  const fs::path exe = fs::path(TINY_EXE).parent_path();  // build/
  CHECK(fs::equivalent(executable_folder(), exe / "tests" / "core"));
  CHECK(fs::equivalent(library_folder(reinterpret_cast<const void*>(&executable_folder)), exe / "lib"));
}

TEST_CASE("load_module_entry calls a module's entry and names the file when it cannot") {
  const fs::path lib = fs::path(TINY_EXE).parent_path() / "lib";
  CHECK(load_module_entry(lib / "libtiny_imgcodecs.so", "tiny_imgcodecs_module", "the codecs") != nullptr);
  const std::string missing = error_of([&] { load_module_entry(lib / "no_such_module.so", "entry", "the plugin"); });
  CHECK(missing.find((lib / "no_such_module.so").string()) != std::string::npos);
  CHECK(missing.find("cannot load the plugin") != std::string::npos);
  const std::string no_entry = error_of([&] { load_module_entry(lib / "libtiny_imgcodecs.so", "no_such_entry", "the plugin"); });
  CHECK(no_entry.find("libtiny_imgcodecs.so") != std::string::npos);
  CHECK(no_entry.find("no symbol no_such_entry") != std::string::npos);
}

TEST_CASE("load_symbol finds a system library's function by the library's name, and names what is missing") {
  using Cos = double(double);
  CHECK(reinterpret_cast<Cos*>(load_symbol("libm.so.6", "cos", "libm"))(0.0) == 1.0);
  const std::string no_library = error_of([] { load_symbol("libno_such_library.so.9", "f", "a test library"); });
  CHECK(no_library.find("libno_such_library.so.9") != std::string::npos);
  CHECK(no_library.find("cannot load a test library") != std::string::npos);
  const std::string no_symbol = error_of([] { load_symbol("libm.so.6", "no_such_function", "libm"); });
  CHECK(no_symbol.find("no symbol no_such_function") != std::string::npos);
}
